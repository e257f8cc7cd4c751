"""An operator-supplied learned descriptor (ONNX), the optional third kind of evidence (framework-free).

The platform ships no model weights.  An operator who holds a copy-detection model under a licence that
allows it (an SSCD export, say) points ``ARTRIGHTS_ONNX_DESCRIPTOR`` (or ``artrights match --descriptor``)
at its ``.onnx`` file.  Every fingerprint then also carries the model's embedding of the image; the index
compares embeddings by cosine similarity and adds a calibrated probability to the keypoint and hash
evidence.

The model takes one RGB image as a float32 NCHW tensor, normalised with the ImageNet mean and standard
deviation (what copy-detection models are trained with), and returns one vector.  A model with fixed
spatial input dimensions gets the image resized to them; a model with free dimensions gets it at
``DEFAULT_SIDE`` pixels.  Because a cosine similarity means different things for different models, the
score calibration comes from the model's metadata (``artrights.score_mid``: the similarity at which a pair
is a copy with probability 0.5, ``artrights.score_slope``: the logistic slope) or from the caller.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import cv2
import numpy as np

__all__ = ["DescriptorError", "OnnxDescriptor", "active_descriptor", "use_descriptor"]

DEFAULT_SIDE = 224
_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
_STD = np.array([0.229, 0.224, 0.225], np.float32)


class DescriptorError(ValueError):
    """The configured model cannot be used (missing, unreadable or of the wrong shape)."""


class OnnxDescriptor:
    def __init__(self, path: str | Path, *, score_mid: float | None = None, score_slope: float | None = None):
        import onnxruntime as ort  # imported here: only operators who configure a model pay for it

        self.path = Path(path)
        if not self.path.is_file():
            raise DescriptorError(f"描述子模型文件不存在 / descriptor model not found: {self.path}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # parallelism comes from processes, as for SIFT
        options.inter_op_num_threads = 1
        try:
            model = self.path.read_bytes()
            self.session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors for bad files
            raise DescriptorError(f"无法载入描述子模型 / cannot load the descriptor model: {exc}") from exc
        # Identifies the model in the fingerprints it made: another model (even one with the same
        # embedding size) makes stored embeddings incomparable, so they are extracted again.
        self.digest = hashlib.sha256(model).hexdigest()
        inputs = self.session.get_inputs()
        if len(inputs) != 1 or len(inputs[0].shape) != 4:
            raise DescriptorError("描述子模型须有一个 NCHW 图像输入 / the model needs one NCHW image input")
        self.input_name = inputs[0].name
        _, channels, height, width = inputs[0].shape
        if isinstance(channels, int) and channels != 3:
            raise DescriptorError("描述子模型须接受 RGB 三通道输入 / the model must take 3-channel RGB input")
        self.size = (
            width if isinstance(width, int) and width > 0 else DEFAULT_SIDE,
            height if isinstance(height, int) and height > 0 else DEFAULT_SIDE,
        )
        meta = self.session.get_modelmeta().custom_metadata_map
        self.score_mid = float(score_mid if score_mid is not None else meta.get("artrights.score_mid", 0.75))
        self.score_slope = float(score_slope if score_slope is not None else meta.get("artrights.score_slope", 25.0))
        probe = self.embed(np.zeros((self.size[1], self.size[0], 3), np.uint8))
        self.dim = len(probe)

    def embed(self, rgb: np.ndarray) -> np.ndarray:
        """L2-normalised float32 embedding of an RGB uint8 image (h, w, 3)."""
        if rgb.ndim == 2:
            rgb = np.repeat(rgb[:, :, None], 3, 2)
        x = cv2.resize(np.ascontiguousarray(rgb[:, :, :3]), self.size, interpolation=cv2.INTER_AREA)
        x = (x.astype(np.float32) / 255.0 - _MEAN) / _STD
        out = self.session.run(None, {self.input_name: x.transpose(2, 0, 1)[None]})[0]
        vec = np.asarray(out, np.float32).reshape(-1)
        norm = float(np.linalg.norm(vec))
        if not math.isfinite(norm):
            raise DescriptorError("描述子模型输出了无效数值 / the model returned non-finite values")
        return vec / norm if norm > 0 else vec

    def probability(self, similarity: np.ndarray | float) -> np.ndarray:
        """Calibrated probability that a pair with this cosine similarity is a copy."""
        return 1.0 / (1.0 + np.exp(-self.score_slope * (np.asarray(similarity, np.float64) - self.score_mid)))


_ACTIVE: OnnxDescriptor | None = None


def use_descriptor(descriptor: OnnxDescriptor | None) -> None:
    """Make ``descriptor`` part of every fingerprint extracted from now on (None: keypoints and hashes only)."""
    global _ACTIVE
    _ACTIVE = descriptor


def active_descriptor() -> OnnxDescriptor | None:
    return _ACTIVE
