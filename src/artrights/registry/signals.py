"""What the registry tells other apps, and what it asks of them, without importing them.

- ``work_granted`` / ``work_revoked`` (sender=Work, work=<Work>): sent after the transaction commits, so
  receivers (fingerprinting, indexing) see the committed state.
- ``near_copy_search`` (sender=Work, work=<Work>): sent while an application is being checked for
  duplicates; each receiver returns an iterable of ``(earlier granted Work, score)`` it found in the
  application's samples (the copy-detection engine answers with cropped, recoloured or photographed copies).
  With no receiver connected, only exact copies (same file hash) are found.
"""

from django.dispatch import Signal

work_granted = Signal()
work_revoked = Signal()
near_copy_search = Signal()
