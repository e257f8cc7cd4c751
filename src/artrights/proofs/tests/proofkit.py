"""A throwaway log, TSA and signing identity for the certificate tests and the benchmark.

Everything is built in memory with the real cores (ledger, RFC 3161 TSA, pyHanko, c2pa): nothing is
mocked, so a test that passes here exercises the same code a relying party runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageDraw

from artrights.core.pki import SigningIdentity, generate_signing_identity
from artrights.proofs import merkle, note, statements
from artrights.proofs.bundle import Timestamper, build_bundle, timestamp_data, tsa_timestamper
from artrights.proofs.rfc3161 import CounterSerials, TimeStampAuthority
from artrights.proofs.tlog import make_tlog_proof
from artrights.proofs.trust import Trust

TEST_POLICY = "1.3.6.1.4.1.57264.99.1"
ORIGIN = "registry.artrights.test/log"


def sample_image(seed: int = 1, size: tuple[int, int] = (320, 240), fmt: str = "PNG") -> bytes:
    """A small picture with shapes that depend on ``seed`` (distinct ISCC codes per seed)."""
    img = Image.new("RGB", size, (240 - seed * 7 % 200, 230, 210))
    draw = ImageDraw.Draw(img)
    for i in range(6):
        x = (seed * 37 + i * 53) % (size[0] - 60)
        y = (seed * 19 + i * 41) % (size[1] - 60)
        draw.ellipse((x, y, x + 40 + i * 5, y + 30 + i * 4), fill=((seed * 50 + i * 40) % 255, 60, 120))
    draw.rectangle((10, 10, 60 + seed % 50, 50), fill=(20, 20, 20))
    out = io.BytesIO()
    img.save(out, format=fmt)
    return out.getvalue()


@dataclass
class Log:
    origin: str
    skey: str
    vkey: str
    leaves: list[bytes] = field(default_factory=list)

    @classmethod
    def new(cls, origin: str = ORIGIN) -> Log:
        skey, vkey = note.generate_key(origin)
        return cls(origin, skey, vkey)

    def append(self, data: bytes) -> int:
        self.leaves.append(merkle.leaf_hash(data))
        return len(self.leaves) - 1

    def signed_checkpoint(self, signer_skey: str | None = None) -> tuple[str, merkle.MemoryHashStore]:
        store = merkle.MemoryHashStore.from_leaf_hashes(b"".join(self.leaves))
        root = merkle.tree_hash(len(self.leaves), store)
        checkpoint = note.Checkpoint(self.origin, len(self.leaves), root)
        return note.sign_checkpoint(checkpoint, [note.new_signer(signer_skey or self.skey)]), store

    def proof(self, index: int, *, signer_skey: str | None = None) -> str:
        signed, store = self.signed_checkpoint(signer_skey)
        return make_tlog_proof(index, signed, store).to_text()


@dataclass
class Kit:
    log: Log
    tsa: TimeStampAuthority
    signing: SigningIdentity
    trust: Trust

    @classmethod
    def new(cls, origin: str = ORIGIN) -> Kit:
        log = Log.new(origin)
        tsa = TimeStampAuthority.generate(policy_oid=TEST_POLICY, serial_source=CounterSerials())
        signing = generate_signing_identity()
        trust = Trust(
            origin=origin,
            log_keys=(log.vkey,),
            tsa_roots=(tsa.root_certificate,),
            signing_roots=(signing.root,),
        )
        return cls(log, tsa, signing, trust)

    @property
    def timestamper(self) -> Timestamper:
        return tsa_timestamper(self.tsa)

    def statement(
        self, *, number: str = "粤作登字-2026-F-00000001", image: bytes | None = None, iscc: str | None = None
    ) -> tuple[dict[str, Any], statements.Openings]:
        files = [statements.FileRef(hashlib.sha256(image).hexdigest(), iscc)] if image is not None else []
        return statements.build_statement(
            type="artrights/registration@v1",
            registry=self.log.origin,
            number=number,
            registered_at=dt.datetime.now(dt.UTC),
            work_type="FINE_ART",
            title="大芬村的清晨",
            files=files,
            parties=[
                (
                    "owner",
                    {
                        "name": "深圳市大芬油画艺术有限公司",
                        "id_type": "USCC",
                        "id_number": "91440300MA5F000000",
                    },
                ),
                ("author", {"name": "李明", "signature": "李明"}),
            ],
        )

    def register(
        self,
        statement: dict[str, Any],
        openings: statements.Openings,
        *,
        others: int = 4,
        signer_skey: str | None = None,
    ) -> dict[str, Any]:
        """Append a few unrelated entries and then ``statement``; return its proof bundle."""
        for i in range(others):
            self.log.append(f"other entry {len(self.log.leaves)} {i}".encode())
        data = statements.leaf_data(statement)
        index = self.log.append(data)
        self.log.append(b"a later entry")
        token = timestamp_data(data, self.timestamper, trusted_roots=[self.tsa.root_certificate])
        return build_bundle(
            statement,
            openings,
            index=index,
            tlog_proof=self.log.proof(index, signer_skey=signer_skey),
            timestamp_response=token,
            tsa_chain=[self.tsa.certificate, self.tsa.root_certificate],
        )
