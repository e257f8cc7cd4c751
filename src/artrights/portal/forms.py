"""Forms of the portal's own pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from artrights.core import notifying


class AccountSettingsForm(forms.Form):
    """A user's language and which notifications also reach them by e-mail and SMS."""

    language = forms.ChoiceField(label=_("语言"), choices=settings.LANGUAGES)
    copies = forms.MultipleChoiceField(
        label=_("同时通过邮件和短信发送"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Essential kinds (security, legal deadlines) are listed on the page but cannot be turned off.
        self.optional = [kind.key for kind in notifying.declared() if not kind.essential]
        copies = cast(forms.MultipleChoiceField, self.fields["copies"])
        copies.choices = [(kind.key, kind.label) for kind in notifying.declared() if not kind.essential]

    def muted_kinds(self) -> list[str]:
        """The optional kinds left unticked."""
        wanted = set(self.cleaned_data["copies"])
        return [key for key in self.optional if key not in wanted]
