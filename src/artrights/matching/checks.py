"""Start-up check: a configured learned descriptor must load, or the operator hears why at once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from artrights.matching.descriptor import DescriptorError, OnnxDescriptor, active_descriptor, use_descriptor


def load_configured_descriptor() -> None:
    """Use the model named by ARTRIGHTS_ONNX_DESCRIPTOR for every fingerprint (if one is named)."""
    path = settings.ARTRIGHTS_ONNX_DESCRIPTOR
    current = active_descriptor()
    if not path:
        use_descriptor(None)
    elif current is None or str(current.path) != str(path):
        try:
            use_descriptor(OnnxDescriptor(path))
        except DescriptorError:
            use_descriptor(None)  # the check below reports it; matching goes on without the model


@register()
def descriptor_loads(app_configs: Any, **kwargs: Any) -> list[Error]:
    path = settings.ARTRIGHTS_ONNX_DESCRIPTOR
    current = active_descriptor()
    if not path or (current is not None and str(current.path) == str(path)):
        return []  # nothing named, or already loaded at start-up: no second load of the model
    try:
        OnnxDescriptor(path)
    except DescriptorError as exc:
        return [Error(str(exc), hint="ARTRIGHTS_ONNX_DESCRIPTOR", id="artrights.E010")]
    return []
