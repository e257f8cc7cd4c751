"""What the registry tells other apps: a work was granted (registered or filed), or revoked.

Sent after the transaction commits, so receivers (fingerprinting, indexing) see the committed state.
"""

from django.dispatch import Signal

work_granted = Signal()  # sender=Work, work=<Work>
work_revoked = Signal()  # sender=Work, work=<Work>
