"""The platform's own wording of how a case ended is stored as a code (``Case.ending``), read in each reader's
language; the sentences stored before, in the language of whoever's act or job ended the case, become that code,
and ``end_note`` keeps only what a person wrote."""

import re
from typing import Any

from django.db import migrations, models

# The sentences the services stored, in each language the platform speaks.
STORED_ENDINGS = {
    "被申请人不同意调解。": "respondent_refused",
    "The respondent does not agree to mediate.": "respondent_refused",
    "被申请人未在期限内答复是否同意调解，视为不同意。": "no_answer",
    "The respondent did not answer in time whether it agrees to mediate, which counts as no.": "no_answer",
}
# The lapse of the mediation period: its reason (``expired``) says it, the case page shows the day.
STORED_EXPIRY = re.compile(
    r"调解期限于 \d{4}-\d{2}-\d{2} 届满，当事人未同意延长。"
    r"|The mediation period ended on \d{4}-\d{2}-\d{2} and the parties did not agree to extend it\."
)


def endings_as_codes(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("mediation", "Case")
    for sentence, code in STORED_ENDINGS.items():
        Case.objects.filter(end_reason="party_refuses", end_note=sentence).update(ending=code, end_note="")
    for pk, note in Case.objects.filter(end_reason="expired").exclude(end_note="").values_list("pk", "end_note"):
        if STORED_EXPIRY.fullmatch(note):
            Case.objects.filter(pk=pk).update(end_note="")


def codes_as_endings(apps: Any, schema_editor: Any) -> None:
    """Back to the Chinese sentences, the platform's first language."""
    Case = apps.get_model("mediation", "Case")
    for sentence, code in STORED_ENDINGS.items():
        if not sentence.isascii():
            Case.objects.filter(ending=code, end_note="").update(end_note=sentence)


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0002_append_only_and_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="ending",
            field=models.CharField(
                blank=True,
                choices=[
                    ("respondent_refused", "被申请人不同意调解。"),
                    ("no_answer", "被申请人未在期限内答复是否同意调解，视为不同意。"),
                ],
                max_length=24,
                verbose_name="结束情形",
            ),
        ),
        migrations.RunPython(endings_as_codes, codes_as_endings),
    ]
