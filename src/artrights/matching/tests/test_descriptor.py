"""The slot for an operator-supplied ONNX descriptor, tested with a small model built here (no weights ship)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

from artrights.matching.descriptor import DescriptorError, OnnxDescriptor, active_descriptor, use_descriptor
from artrights.matching.fingerprint import Fingerprint, engine_id, extract
from artrights.matching.index import MatchIndex
from artrights.matching.tests.test_matching import artwork


def _save(model: onnx.ModelProto, path: Path, **metadata: str) -> Path:
    for key, value in metadata.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    model.opset_import[0].version = 13
    onnx.checker.check_model(model)
    path.write_bytes(model.SerializeToString())
    return path


def _pooled_filters_model(path: Path, seed: int = 7, **metadata: str) -> Path:
    """A tiny linear 'descriptor': 16 zero-mean 5x5 filters over a 32x32 image, average-pooled to 4x4."""
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=(16, 3, 5, 5)).astype(np.float32)
    weights -= weights.mean(axis=(1, 2, 3), keepdims=True)
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["image", "w"], ["features"], strides=[2, 2], pads=[2, 2, 2, 2]),
            helper.make_node("AveragePool", ["features"], ["pooled"], kernel_shape=[4, 4], strides=[4, 4]),
            helper.make_node("Flatten", ["pooled"], ["embedding"]),
        ],
        "pooled_filters",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 32, 32])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, 256])],
        [numpy_helper.from_array(weights, "w")],
    )
    return _save(helper.make_model(graph), path, **metadata)


@pytest.fixture
def descriptor(tmp_path: Path) -> Iterator[OnnxDescriptor]:
    model = OnnxDescriptor(
        _pooled_filters_model(tmp_path / "d.onnx", **{"artrights.score_mid": "0.9", "artrights.score_slope": "40"})
    )
    use_descriptor(model)
    yield model
    use_descriptor(None)


def test_a_model_is_read_with_its_input_size_output_size_and_calibration(descriptor: OnnxDescriptor) -> None:
    assert descriptor.size == (32, 32)
    assert descriptor.dim == 256
    assert (descriptor.score_mid, descriptor.score_slope) == (0.9, 40.0)
    assert descriptor.probability(0.9) == pytest.approx(0.5)
    assert descriptor.probability(1.0) > 0.95 > 0.05 > descriptor.probability(0.5)


def test_another_model_of_the_same_embedding_size_marks_fingerprints_as_made_by_another_engine(
    tmp_path: Path,
) -> None:
    without = engine_id()
    first = OnnxDescriptor(_pooled_filters_model(tmp_path / "a.onnx", seed=1))
    second = OnnxDescriptor(_pooled_filters_model(tmp_path / "b.onnx", seed=2))
    assert first.dim == second.dim
    ids = []
    try:
        for model in (first, second, first):
            use_descriptor(model)
            ids.append(engine_id())
    finally:
        use_descriptor(None)
    assert ids[0] != ids[1] and ids[0] == ids[2] and without not in ids and engine_id() == without


def test_fingerprints_carry_the_embedding_and_keep_it_through_serialisation(descriptor: OnnxDescriptor) -> None:
    reference = extract(artwork(1))
    query = extract(artwork(1), query=True)
    assert reference.embedding is not None and reference.embedding.shape == (1, 256)
    assert query.embedding is not None and query.embedding.shape == (2, 256)  # the image and its mirror
    restored = Fingerprint.from_bytes(reference.to_bytes())
    assert restored.embedding is not None
    assert np.array_equal(restored.embedding, reference.embedding)
    use_descriptor(None)
    plain = extract(artwork(1))
    assert plain.embedding is None and Fingerprint.from_bytes(plain.to_bytes()).embedding is None


def test_a_copy_embeds_close_to_its_original_and_an_unrelated_picture_does_not(descriptor: OnnxDescriptor) -> None:
    original = extract(artwork(2)).embedding[0].astype(np.float32)
    resized = extract(artwork(2).resize((240, 180)), query=True).embedding[0].astype(np.float32)
    other = extract(artwork(3), query=True).embedding[0].astype(np.float32)
    assert float(original @ resized) > 0.97
    assert float(original @ other) < 0.6


def test_embedding_evidence_alone_finds_a_reference_and_other_models_embeddings_are_refused(
    descriptor: OnnxDescriptor,
) -> None:
    # A reference with no keypoints and an unrelated hash: only the learned descriptor can match it.
    reference = extract(artwork(4))
    idx = MatchIndex()
    none = np.zeros(0, np.int32)
    idx.add_postings(
        "plain-colour-field",
        (480, 360),
        np.zeros(32, np.uint8),
        none,
        none.astype(np.uint64),
        np.zeros((0, 2), np.uint16),
        np.zeros((0, 2), np.uint8),
        embedding=reference.embedding[0],
    )
    query = extract(artwork(4).resize((300, 225)), query=True)
    found = idx.search(query)
    assert found and found[0].ref_id == "plain-colour-field" and found[0].score > 0.75
    assert found[0].inliers == 0 and found[0].homography is None

    use_descriptor(None)  # without the model the same index has no evidence for it
    assert not [m for m in idx.search(query) if m.score > 0.5]

    with pytest.raises(ValueError, match="dimension"):
        idx.add_postings(
            "x",
            (10, 10),
            np.zeros(32, np.uint8),
            none,
            none.astype(np.uint64),
            np.zeros((0, 2), np.uint16),
            np.zeros((0, 2), np.uint8),
            embedding=np.zeros(8, np.float16),
        )


def test_saved_and_sharded_indexes_keep_the_embeddings(descriptor: OnnxDescriptor, tmp_path: Path) -> None:
    idx = MatchIndex()
    for i in range(4):
        idx.add(f"art{i}", extract(artwork(i)))
    idx.save(tmp_path / "index.npz")
    loaded = MatchIndex.load(tmp_path / "index.npz")
    assert loaded._emb is not None and np.array_equal(loaded._emb[:4], idx._emb[:4])
    shards = idx.shard(2)
    assert sum(len(s) for s in shards) == 4
    assert all(s._emb is not None for s in shards if len(s))


def test_a_missing_or_unsuitable_model_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(DescriptorError, match="不存在"):
        OnnxDescriptor(tmp_path / "absent.onnx")
    (tmp_path / "junk.onnx").write_bytes(b"not a model")
    with pytest.raises(DescriptorError, match="无法载入"):
        OnnxDescriptor(tmp_path / "junk.onnx")
    flat = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "flat",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64])],
    )
    with pytest.raises(DescriptorError, match="NCHW"):
        OnnxDescriptor(_save(helper.make_model(flat), tmp_path / "flat.onnx"))
    assert active_descriptor() is None


def test_match_folders_uses_the_descriptor_given_on_the_command_line(tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command

    refs, queries = tmp_path / "refs", tmp_path / "queries"
    refs.mkdir()
    queries.mkdir()
    artwork(5).save(refs / "R1.png")
    artwork(6).save(refs / "R2.png")
    Image.fromarray(np.asarray(artwork(5))[20:340, 30:450]).save(queries / "Q1.png")
    model = _pooled_filters_model(tmp_path / "d.onnx")
    try:
        call_command(
            "match",
            references=str(refs),
            queries=str(queries),
            out=str(tmp_path / "p.csv"),
            workers=1,
            no_progress=True,
            descriptor=str(model),
        )
        assert active_descriptor() is not None
    finally:
        use_descriptor(None)
    assert "Q1,R1," in (tmp_path / "p.csv").read_text()
    with pytest.raises(CommandError, match="不存在"):
        call_command(
            "match",
            references=str(refs),
            queries=str(queries),
            out=str(tmp_path / "p.csv"),
            descriptor=str(tmp_path / "absent.onnx"),
        )


def test_the_platform_check_reports_a_configured_model_that_cannot_load(settings, tmp_path: Path) -> None:
    from artrights.matching.checks import descriptor_loads, load_configured_descriptor

    settings.ARTRIGHTS_ONNX_DESCRIPTOR = str(tmp_path / "absent.onnx")
    errors = descriptor_loads(None)
    assert len(errors) == 1 and errors[0].id == "artrights.E010" and "不存在" in errors[0].msg
    load_configured_descriptor()
    assert active_descriptor() is None  # matching carries on with keypoints and hashes

    settings.ARTRIGHTS_ONNX_DESCRIPTOR = str(_pooled_filters_model(tmp_path / "d.onnx"))
    try:
        assert descriptor_loads(None) == []
        load_configured_descriptor()
        assert active_descriptor() is not None and active_descriptor().dim == 256
    finally:
        use_descriptor(None)


def test_the_match_command_takes_a_keypoint_budget_and_refuses_a_nonsensical_one(tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command

    refs, queries = tmp_path / "refs", tmp_path / "queries"
    refs.mkdir()
    queries.mkdir()
    artwork(5).save(refs / "R1.png")
    artwork(5).crop((40, 30, 440, 330)).save(queries / "Q1.png")
    out = tmp_path / "p.csv"
    call_command(
        "match",
        references=str(refs),
        queries=str(queries),
        out=str(out),
        workers=1,
        no_progress=True,
        keypoints_per_reference=120,
    )
    assert "Q1,R1," in out.read_text()
    with pytest.raises(CommandError, match="正数"):
        call_command("match", references=str(refs), queries=str(queries), out=str(out), keypoints_per_reference=0)
