"""What the registry tells other apps, and what it asks of them, without importing them.

- ``work_granted`` / ``work_revoked`` (sender=Work, work=<Work>): sent after the transaction commits, so
  receivers (fingerprinting, indexing) see the committed state.
- ``work_closed`` (sender=Work, work=<Work>): an application was withdrawn, refused or deemed withdrawn after
  commit; it no longer counts when later applications are screened.
- ``work_event`` (sender=Work, work=<Work>, event=<str>, actor=<User|None>, subject=<model|None>): after commit,
  each step a work takes (see ``events.py`` for the names); notifications and documents follow it.
- ``near_copy_search`` (sender=Work, work=<Work>): sent while an application is screened for duplicates; each
  receiver returns an iterable of ``(Work, score, why)``: granted works and pending applications it found in the
  application's samples (the copy-detection engine answers with cropped, recoloured or photographed copies), and
  what the finding rests on, for the registrar (a dict: ``inliers``, ``regions``, ``textured_regions``,
  ``application_percent``, ``earlier_percent``; any may be missing).
  With no receiver connected, only exact copies (same file hash) are found.
"""

from django.dispatch import Signal

work_granted = Signal()
work_revoked = Signal()
work_closed = Signal()
work_event = Signal()
near_copy_search = Signal()
