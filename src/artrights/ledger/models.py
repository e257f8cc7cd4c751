"""The public append-only log: head, entries, stored subtree hashes, checkpoints, witnesses, cosignatures.

Entries, hashes, checkpoints and cosignatures are append-only: the models and their querysets refuse updates
and deletes, and database triggers (migrations 0002, 0003) refuse UPDATE and DELETE whatever code runs. Only the
one-row head changes: it is the log's write lock and its resume point.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.core.models import AppendOnlyModel
from artrights.proofs.merkle import EMPTY_ROOT, HASH_SIZE
from artrights.proofs.note import NoteError, new_verifier

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

HEAD_ID = 1


def _bytes(value: Any) -> bytes:
    """BinaryField values come back as memoryview on PostgreSQL and bytes on SQLite.

    A row rewritten by hand on SQLite may hold text or a number instead; that reads back as its text's bytes
    (never ``bytes(n)``, which would allocate n zero bytes), and the checks that read it then name it as wrong.
    """
    if value is None:
        return b""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8", "surrogateescape")


class LogHead(models.Model):
    """The one row that says how big the log is; appenders lock it, so it also orders them."""

    id: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(primary_key=True, default=HEAD_ID)
    size: models.BigIntegerField[int, int] = models.BigIntegerField(_("记录数"), default=0)
    root_hash: models.BinaryField[bytes, bytes | memoryview] = models.BinaryField(
        _("根哈希"), max_length=HASH_SIZE, default=EMPTY_ROOT
    )
    # The compact-range right edge (one hash per set bit of size, largest subtree first), concatenated:
    # enough to append without reading any stored hash back.
    edge: models.BinaryField[bytes, bytes | memoryview] = models.BinaryField(_("右边界哈希"), default=b"")
    # How many checkpoints were signed: deleting the newest one leaves this ahead of what is stored.
    checkpoints: models.BigIntegerField[int, int] = models.BigIntegerField(_("已签发检查点数"), default=0)
    updated_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("账本状态")
        verbose_name_plural = _("账本状态")
        constraints = [models.CheckConstraint(condition=models.Q(id=HEAD_ID), name="ledger_single_head")]

    def __str__(self) -> str:
        return f"log size {self.size}"

    def edge_hashes(self) -> list[bytes]:
        raw = _bytes(self.edge)
        return [raw[i : i + HASH_SIZE] for i in range(0, len(raw), HASH_SIZE)]


class LogEntry(AppendOnlyModel):
    """One statement in the log. ``data`` is the exact leaf data: the statement's RFC 8785 canonical JSON."""

    index: models.BigIntegerField[int, int] = models.BigIntegerField(_("序号"), primary_key=True, db_column="idx")
    kind: models.CharField[str, str] = models.CharField(_("类型"), max_length=64, db_index=True)
    leaf_hash: models.BinaryField[bytes, bytes | memoryview] = models.BinaryField(_("叶哈希"), max_length=HASH_SIZE)
    data: models.BinaryField[bytes, bytes | memoryview] = models.BinaryField(_("规范化声明"))
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(_("记入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("账本记录")
        verbose_name_plural = _("账本记录")
        ordering = ["index"]

    def __str__(self) -> str:
        return f"#{self.index} {self.kind}"


class LogHash(AppendOnlyModel):
    """A stored full-subtree hash at ``(level, index)``: the addressing of tlog-tiles and merkle.py."""

    pk = models.CompositePrimaryKey("level", "index")
    level: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(_("层"))
    index: models.BigIntegerField[int, int] = models.BigIntegerField(_("序号"), db_column="idx")
    hash: models.BinaryField[bytes, bytes | memoryview] = models.BinaryField(_("哈希"), max_length=HASH_SIZE)

    class Meta:
        verbose_name = _("子树哈希")
        verbose_name_plural = _("子树哈希")

    def __str__(self) -> str:
        return f"({self.level}, {self.index})"


class Witness(models.Model):
    """An independent witness whose cosignatures the log accepts while it is active."""

    name: models.CharField[str, str] = models.CharField(_("名称"), max_length=100, unique=True)
    vkey: models.CharField[str, str] = models.CharField(_("验证公钥"), max_length=300, unique=True)
    active: models.BooleanField[bool, bool] = models.BooleanField(_("启用"), default=True)
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(_("添加时间"), default=timezone.now)

    class Meta:
        verbose_name = _("见证方")
        verbose_name_plural = _("见证方")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            new_verifier(self.vkey.strip())
        except (NoteError, ValueError) as exc:
            raise ValidationError({"vkey": _("验证公钥格式不正确：%(error)s") % {"error": exc}}) from None
        self.vkey = self.vkey.strip()


class Checkpoint(AppendOnlyModel):
    """A signed checkpoint (C2SP tlog-checkpoint) as the log signed it; cosignatures are stored beside it.

    ``seq`` counts checkpoints from 1 without gaps (the head records the last one), so a deleted checkpoint
    leaves a gap or a head that runs ahead.
    """

    id: int
    cosignatures: RelatedManager[Cosignature]
    seq: models.BigIntegerField[int, int] = models.BigIntegerField(_("序号"), unique=True)
    size: models.BigIntegerField[int, int] = models.BigIntegerField(_("记录数"), db_index=True)
    root_hash: models.BinaryField[bytes, bytes | memoryview] = models.BinaryField(_("根哈希"), max_length=HASH_SIZE)
    note: models.TextField[str, str] = models.TextField(_("签名检查点"))
    key: models.CharField[str, str] = models.CharField(_("签名公钥"), max_length=300)
    timestamp_token: models.BinaryField[bytes | None, bytes | memoryview | None] = models.BinaryField(
        _("RFC 3161 时间戳"), null=True, blank=True
    )
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(_("签发时间"), default=timezone.now)

    class Meta:
        verbose_name = _("检查点")
        verbose_name_plural = _("检查点")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"checkpoint {self.size} ({self.created_at:%Y-%m-%d %H:%M:%S})"

    @property
    def body(self) -> str:
        """The checkpoint note text (origin, size, root) that every signature covers."""
        return self.note[: self.note.rfind("\n\n") + 1]

    def signed_note(self) -> str:
        """The note with the log's signature followed by every accepted witness cosignature."""
        lines = [c.line for c in self.cosignatures.order_by("id")]
        return self.note + "".join(lines)


class Cosignature(AppendOnlyModel):
    """A witness's signature line over exactly one checkpoint, accepted after verification."""

    checkpoint_id: int
    checkpoint: models.ForeignKey[Checkpoint, Checkpoint] = models.ForeignKey(
        Checkpoint, verbose_name=_("检查点"), on_delete=models.PROTECT, related_name="cosignatures"
    )
    witness_id: int
    witness: models.ForeignKey[Witness, Witness] = models.ForeignKey(
        Witness, verbose_name=_("见证方"), on_delete=models.PROTECT, related_name="+"
    )
    line: models.TextField[str, str] = models.TextField(_("签名行"))
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(_("接收时间"), default=timezone.now)

    class Meta:
        verbose_name = _("见证签名")
        verbose_name_plural = _("见证签名")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness"], name="ledger_one_cosignature_per_witness")
        ]

    def __str__(self) -> str:
        return f"{self.witness} @ {self.checkpoint_id}"
