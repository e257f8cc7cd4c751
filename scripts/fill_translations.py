"""Fill English msgstr values in locale/en from a {chinese: english} table module, keeping existing ones.

Usage: python scripts/fill_translations.py TABLE.py   (a module defining T = {...} and optionally PLURALS = {...}
and CONTEXTS = {(msgctxt, chinese): english} for a message whose context gives it another English than T's)
Then `artrights compilemessages`. Reports msgids still untranslated.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/artrights/locale/en/LC_MESSAGES/django.po"


def main(table_path: str) -> int:
    table = runpy.run_path(table_path)
    singular, plurals = table.get("T", {}), table.get("PLURALS", {})
    contexts = table.get("CONTEXTS", {})
    po = polib.pofile(str(PO))
    for entry in po:
        if (entry.msgctxt, entry.msgid) in contexts:
            entry.msgstr = contexts[(entry.msgctxt, entry.msgid)]
        elif entry.msgid_plural and entry.msgid in plurals:
            one, many = plurals[entry.msgid]
            entry.msgstr_plural = {0: one, 1: many}
        elif entry.msgid in singular:
            entry.msgstr = singular[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
