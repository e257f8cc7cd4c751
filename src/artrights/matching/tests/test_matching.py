"""Engine behaviour on small synthetic artworks drawn here (never the benchmark data)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from artrights.matching.fingerprint import Fingerprint, extract, mirror_features, picture_quads, rootsift_features
from artrights.matching.folders import match_folders
from artrights.matching.index import MatchIndex, merge_results, shard_of
from artrights.matching.postings import Postings, stop_mask
from artrights.matching.scoring import matched_areas, polygon_area


def artwork(seed: int, w: int = 480, h: int = 360) -> Image.Image:
    """A busy random 'painting': shapes, lines and texture, distinct per seed."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, 3)
    im = Image.new("RGB", (w, h), tuple(int(c) for c in base))
    d = ImageDraw.Draw(im)
    for _ in range(60):
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = x0 + int(rng.integers(10, 120)), y0 + int(rng.integers(10, 120))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        kind = rng.integers(0, 3)
        if kind == 0:
            d.ellipse([x0, y0, x1, y1], fill=colour, outline=(0, 0, 0))
        elif kind == 1:
            d.rectangle([x0, y0, x1, y1], fill=colour)
        else:
            d.line([x0, y0, x1, y1], fill=colour, width=int(rng.integers(1, 6)))
    noise = rng.normal(0, 6, (h, w, 3))
    return Image.fromarray(np.clip(np.asarray(im, np.float32) + noise, 0, 255).astype(np.uint8))


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    idx = MatchIndex()
    for i in range(8):
        idx.add(f"art{i}", extract(artwork(i)))
    return idx


def _rotate(im: Image.Image, deg: float) -> tuple[Image.Image, np.ndarray]:
    w, h = im.size
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    out = cv2.warpAffine(np.asarray(im), m, (w, h), borderValue=(128, 128, 128))
    return Image.fromarray(out), m


def test_an_exact_copy_is_the_top_match_with_a_high_score(index: MatchIndex) -> None:
    res = index.search(extract(artwork(3), query=True))
    assert res[0].ref_id == "art3"
    assert res[0].score > 0.95
    assert all(m.score < res[0].score for m in res[1:])


def test_a_huge_upload_of_a_registered_work_is_found_and_fingerprinted_at_a_reduced_size(index: MatchIndex) -> None:
    huge = artwork(5).resize((480 * 6, 360 * 6), Image.Resampling.BICUBIC)  # 2,880 px: over twice the working side
    fp = extract(huge, query=True)
    assert (fp.width, fp.height) == (1440, 1080)  # reduced by 2, the smallest factor that fits 2,048
    res = index.search(fp)
    assert res[0].ref_id == "art5" and res[0].score > 0.9


def test_a_cropped_and_rotated_copy_is_found_with_its_region(index: MatchIndex) -> None:
    crop = artwork(5).crop((60, 40, 420, 320))  # keeps 58 % of the area
    rotated, m = _rotate(crop, 12.0)
    res = index.search(extract(rotated, query=True))
    assert res[0].ref_id == "art5" and res[0].score > 0.5  # reported at the check threshold
    assert res[0].homography is not None
    # The reference corner (60, 40) sits at the crop origin; check the homography maps a
    # reference point to where the rotation put it.
    h = np.array(res[0].homography)
    ref_pt = np.array([200.0, 150.0, 1.0])
    got = h @ ref_pt
    got = got[:2] / got[2]
    expected = m @ np.array([200.0 - 60, 150.0 - 40, 1.0])
    assert np.linalg.norm(got - expected) < 4.0
    assert len(res[0].region) == 4


def test_the_mirror_features_of_an_image_are_those_sift_finds_in_its_mirror_image() -> None:
    image = artwork(5)
    xy, rs, sa = rootsift_features(image, 400, query=True)
    mxy, mrs, msa = mirror_features(xy, rs, sa)
    fxy, frs, fsa = rootsift_features(image.transpose(Image.Transpose.FLIP_LEFT_RIGHT), 400, query=True)
    fxy[:, 0] = image.width - 0.5 - fxy[:, 0]  # back into the image's coordinates
    nearest = np.linalg.norm(mxy[:, None] - fxy[None], axis=2).argmin(1)
    same = np.linalg.norm(mxy - fxy[nearest], axis=1) < 0.75
    assert same.mean() > 0.85
    angle_gap = np.abs((msa[same, 1] - fsa[nearest[same], 1] + 180) % 360 - 180)
    assert np.median(angle_gap) < 2
    derived = np.linalg.norm(mrs[same] - frs[nearest[same]], axis=1)
    unpermuted = np.linalg.norm(rs[same] - frs[nearest[same]], axis=1)
    assert np.median(derived) < 0.05 and np.median(unpermuted) > 0.3


def test_a_mirrored_copy_is_found(index: MatchIndex) -> None:
    mirrored = artwork(2).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    res = index.search(extract(mirrored, query=True))
    assert res[0].ref_id == "art2" and res[0].score > 0.9


def test_a_mirrored_and_cropped_copy_is_matched_by_keypoints_with_the_mirror_in_its_homography(
    index: MatchIndex,
) -> None:
    # Cropping defeats the whole-image hash, so only the keypoint fit can find this copy.
    copy = artwork(7).crop((150, 60, 470, 330)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    res = index.search(extract(copy, query=True))
    assert res[0].ref_id == "art7" and res[0].score > 0.7
    assert res[0].inliers >= 30
    h = np.array(res[0].homography)
    got = h @ np.array([300.0, 200.0, 1.0])
    # reference x=300 lies 150 px into the 320 px wide crop, so mirrored at 320 - 1 - 150
    assert np.linalg.norm(got[:2] / got[2] - np.array([320 - 1 - 150, 140])) < 4.0


def test_a_tiny_blurred_copy_is_still_found(index: MatchIndex) -> None:
    small = artwork(6).resize((72, 54), Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(1))
    res = index.search(extract(small, query=True))
    assert res and res[0].ref_id == "art6" and res[0].score > 0.8


def test_a_copy_embedded_in_a_larger_page_is_found_with_the_region_around_it(index: MatchIndex) -> None:
    page = Image.new("RGB", (1000, 800), (240, 240, 235))
    page.paste(artwork(200, 300, 500), (620, 100))  # an unrelated picture beside it
    page.paste(artwork(4).resize((360, 270)), (150, 300))
    res = index.search(extract(page, query=True))
    assert res[0].ref_id == "art4" and res[0].score > 0.9
    xs = [p[0] for p in res[0].region]
    ys = [p[1] for p in res[0].region]
    assert abs(min(xs) - 150) < 10 and abs(max(xs) - 510) < 10
    assert abs(min(ys) - 300) < 10 and abs(max(ys) - 570) < 10


def test_a_crop_pasted_on_a_page_covers_only_the_part_of_the_work_it_shows(index: MatchIndex) -> None:
    # 360 of 480 by 270 of 360 pixels: 56 % of the painting, pasted at 1.2x onto a plain shop page.
    page = Image.new("RGB", (1000, 800), (240, 240, 235))
    page.paste(artwork(5).crop((60, 45, 420, 315)).resize((432, 324)), (300, 240))
    fp = extract(page, query=True)
    top = index.search(fp)[0]
    assert top.ref_id == "art5" and top.homography is not None and top.panel is not None
    in_page, in_work = matched_areas(top.homography, (480, 360), (fp.width, fp.height), top.panel)
    assert polygon_area(in_work) / (480 * 360) == pytest.approx(0.5625, abs=0.04)
    assert polygon_area(in_page) / (1000 * 800) == pytest.approx(432 * 324 / 800_000, abs=0.01)
    # without the picture the homography would place the whole painting on the page around the crop
    assert polygon_area(matched_areas(top.homography, (480, 360), (fp.width, fp.height))[1]) / (480 * 360) > 0.95


def test_a_featureless_picture_in_one_panel_of_a_collage_is_found_by_its_panel(tmp_path: Path) -> None:
    # A soft gradient has almost no keypoints; only hashing the panel it was pasted into finds it.
    y, x = np.mgrid[0:300, 0:400].astype(np.float32)
    glow = np.clip(40 + 120 * np.exp(-((x - 260) ** 2 + (y - 120) ** 2) / 9000.0), 0, 255).astype(np.uint8)
    gradient = Image.fromarray(np.stack([glow, glow // 2, 255 - glow], 2))
    idx = MatchIndex()
    idx.add("gradient", extract(gradient))
    for i in range(4):
        idx.add(f"art{i}", extract(artwork(i)))
    page = Image.new("RGB", (920, 640), (25, 30, 25))
    for n, (px, py) in enumerate([(20, 20), (320, 20), (620, 20), (20, 330), (320, 330), (620, 330)]):
        panel = gradient if n == 4 else artwork(300 + n)
        page.paste(panel.resize((280, 280)), (px, py))
    res = idx.search(extract(page, query=True))
    assert res and res[0].ref_id == "gradient" and res[0].score > 0.8
    xs = [p[0] for p in res[0].region]
    ys = [p[1] for p in res[0].region]
    assert abs(min(xs) - 320) < 6 and abs(max(xs) - 600) < 6
    assert abs(min(ys) - 330) < 6 and abs(max(ys) - 610) < 6


def test_the_picture_of_a_social_media_post_is_cut_from_its_header_across_a_narrow_gap() -> None:
    from artrights.matching.fingerprint import layout_cells

    post = Image.new("RGB", (780, 1024), (255, 255, 255))
    draw = ImageDraw.Draw(post)
    draw.ellipse((8, 12, 68, 72), fill=(20, 170, 40))  # the avatar
    draw.rectangle((80, 30, 300, 52), fill=(30, 30, 30))  # the account name
    post.paste(artwork(7).resize((780, 780)), (0, 84))  # 12 px below the header: 8 flat rows once smoothed
    draw.rectangle((10, 880, 400, 900), fill=(30, 30, 30))  # likes and caption
    cells = layout_cells(np.asarray(post.convert("L")))
    assert any(
        abs(x0) <= 3 and abs(y0 - 84) <= 3 and abs(x1 - 780) <= 3 and abs(y1 - 864) <= 3 for x0, y0, x1, y1 in cells
    ), cells


def test_the_panels_of_a_collage_with_a_3_px_gutter_are_cut_apart() -> None:
    from artrights.matching.fingerprint import layout_cells

    collage = Image.new("RGB", (341, 679), (215, 210, 230))
    collage.paste(artwork(8, 335, 335), (3, 3))
    collage.paste(artwork(9, 335, 335), (3, 341))
    cells = layout_cells(np.asarray(collage.convert("L")))
    for top in (3, 341):
        assert any(x0 <= 3 and abs(y0 - top) <= 2 and abs(y1 - top - 335) <= 2 for x0, y0, _, y1 in cells), cells


def _clip_art(seed: int, w: int = 734, h: int = 539) -> Image.Image:
    """A flat-colour drawing on white, like clip art: a few outlined discs cut by thin white lines."""
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(im)
    for _ in range(3):
        cx, cy, r = int(rng.integers(150, w - 150)), int(rng.integers(150, h - 150)), int(rng.integers(60, 140))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour, outline=0, width=3)
        for a in rng.uniform(0, 2 * np.pi, int(rng.integers(5, 12))):
            d.line((cx, cy, cx + r * np.cos(a), cy + r * np.sin(a)), fill=(255, 255, 255), width=2)
    return im


def _photographed(im: Image.Image, seed: int) -> Image.Image:
    """The picture seen at an angle against a blurred, noisy surrounding, as a phone photo of a print."""
    return _photographed_with_warp(im, seed)[0]


def _photographed_with_warp(im: Image.Image, seed: int) -> tuple[Image.Image, np.ndarray]:
    """:func:`_photographed`, and the homography that took the picture into the photo."""
    rng = np.random.default_rng(seed)
    w, h = im.size
    big_w, big_h = int(w * 1.4), int(h * 1.4)
    surrounding = cv2.GaussianBlur(rng.normal(128, 40, (big_h, big_w, 3)).clip(0, 255).astype(np.uint8), (0, 0), 4)
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    seen = corners + np.array([(big_w - w) / 2, (big_h - h) / 2]) + rng.uniform(-0.1, 0.1, (4, 2)) * [w, h]
    m = cv2.getPerspectiveTransform(corners, seen.astype(np.float32))
    warped = cv2.warpPerspective(np.asarray(im), m, (big_w, big_h))
    inside = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (big_w, big_h)) > 0
    surrounding[inside] = warped[inside]
    return Image.fromarray(surrounding), m


def test_a_photographed_copy_of_clip_art_is_found_although_the_drawing_has_few_keypoints() -> None:
    # At the usual reference size (384 px) these drawings give 15-32 keypoints, too few to be found at an angle.
    idx = MatchIndex()
    for other in range(10):
        idx.add(f"other{other}", extract(_clip_art(100 + other)))
    for seed in (2, 5):
        drawing = _clip_art(seed)
        idx.add(f"drawing{seed}", extract(drawing))
        top = idx.search(extract(_photographed(drawing, seed), query=True))[0]
        assert top.ref_id == f"drawing{seed}" and top.score > 0.5


def _soft_painting(seed: int, w: int = 640, h: int = 420) -> Image.Image:
    """A misty painting: a few large colour washes blurred together, with nothing sharp for keypoints to hold."""
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (w, h), tuple(int(c) for c in rng.integers(150, 256, 3)))
    d = ImageDraw.Draw(im)
    for _ in range(6):
        cx, cy, r = int(rng.integers(0, w)), int(rng.integers(0, h)), int(rng.integers(60, 180))
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(int(c) for c in rng.integers(0, 200, 3)))
    return Image.fromarray(cv2.GaussianBlur(np.asarray(im), (0, 0), 25))


def _mounted(im: Image.Image, mount: tuple[int, int, int] = (200, 90, 40)) -> Image.Image:
    """The picture in a wide solid mount, as a framed print."""
    w, h = im.size
    framed = Image.new("RGB", (w + 120, h + 90), mount)
    framed.paste(im, (60, 45))
    return framed


def test_a_soft_painting_photographed_at_an_angle_in_its_mount_is_found_by_its_outline() -> None:
    # A blurred painting gives a copy at an angle almost no agreeing keypoints; the query's picture outline,
    # warped back upright and stripped of its mount, hashes like the painting itself.
    idx = MatchIndex()
    for seed in range(12):
        idx.add(f"painting{seed}", extract(_soft_painting(seed)))
    for seed in (3, 7):
        photo, warp = _photographed_with_warp(_mounted(_soft_painting(seed)), seed)
        top = idx.search(extract(photo, query=True))[0]
        assert top.ref_id == f"painting{seed}" and top.score > 0.5
        # the match is drawn on the painting as the photo shows it, inside its mount (640 x 420 at 60, 45)
        painting = np.array([[60, 45], [700, 45], [700, 465], [60, 465]], np.float32).reshape(-1, 1, 2)
        seen = cv2.perspectiveTransform(painting, warp).reshape(4, 2)
        assert np.abs(np.array(top.region) - seen).max() < 0.01 * max(photo.size)
    stranger = _photographed(_mounted(_soft_painting(99)), 99)
    assert idx.search(extract(stranger, query=True), min_score=0.5) == []


def test_the_outline_of_a_picture_photographed_out_of_focus_is_found_where_its_edges_are_too_soft() -> None:
    # Blurred this much, the picture's border has no edge strong enough to trace; it still stands out from
    # the plain wall by its colour.
    picture = np.asarray(_mounted(_soft_painting(5), mount=(30, 60, 150)))
    h, w = picture.shape[:2]
    wall = np.full((h + 300, w + 400, 3), (170, 165, 150), np.uint8)
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    seen = np.array([[260, 110], [w + 170, 180], [w + 230, h + 210], [150, h + 150]], np.float32)
    warp = cv2.getPerspectiveTransform(corners, seen)
    inside = cv2.warpPerspective(np.full((h, w), 255, np.uint8), warp, wall.shape[1::-1]) > 0
    wall[inside] = cv2.warpPerspective(picture, warp, wall.shape[1::-1])[inside]
    photo = cv2.GaussianBlur(wall, (0, 0), 7)
    scale = 1024 / max(photo.shape[:2])
    small = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    quads = picture_quads(cv2.GaussianBlur(small.astype(np.float32), (0, 0), 1.5))
    assert quads and np.abs(quads[0] / scale - seen).max() < 0.03 * max(photo.shape[:2])


def test_a_faded_low_contrast_crop_is_still_found(index: MatchIndex) -> None:
    crop = np.asarray(artwork(1).crop((100, 50, 400, 300)), np.float32)
    faded = Image.fromarray((crop * 0.3 + 90).astype(np.uint8))  # a third of the contrast, greyed
    res = index.search(extract(faded, query=True))
    assert res[0].ref_id == "art1" and res[0].score > 0.5 and res[0].homography is not None


def test_an_unrelated_image_gets_no_confident_match(index: MatchIndex) -> None:
    res = index.search(extract(artwork(999), query=True), min_score=0.5)
    assert res == []


def test_scores_stay_in_the_unit_interval_and_results_respect_k(index: MatchIndex) -> None:
    res = index.search(extract(artwork(1), query=True), k=2)
    assert 1 <= len(res) <= 2
    assert all(0.0 <= m.score <= 1.0 for m in res)


def test_a_fingerprint_survives_serialisation_and_stays_compact() -> None:
    fp = extract(artwork(7))
    raw = fp.to_bytes()
    back = Fingerprint.from_bytes(raw)
    assert len(back) == len(fp) > 50
    assert np.array_equal(back.desc, fp.desc) and np.array_equal(back.hashes, fp.hashes)
    assert np.abs(back.xy - fp.xy).max() < 0.05
    assert len(raw) < 80 * len(fp) + 100


def test_a_damaged_fingerprint_is_refused() -> None:
    raw = extract(artwork(7)).to_bytes()
    with pytest.raises(ValueError):
        Fingerprint.from_bytes(raw[: len(raw) // 2])
    with pytest.raises(ValueError):
        Fingerprint.from_bytes(b"XXXX" + raw[4:])


def test_the_keypoint_budget_of_a_reference_goes_to_keypoints_a_search_can_reach() -> None:
    fp = extract(artwork(9))
    cells = fp.cells_and_codes(1)[0][:, 0]
    reachable = int((~stop_mask()[cells]).sum())
    assert 40 < reachable < len(fp)  # the artwork has keypoints on both sides of the line
    idx = MatchIndex(max_keypoints_per_ref=40)
    idx.add("art9", fp)
    idx._merge()
    assert len(idx._postings.ref) == 40
    stored_cells = np.repeat(np.arange(len(idx._postings.off) - 1), np.diff(idx._postings.off))
    assert not stop_mask()[stored_cells].any()
    assert idx.search(extract(artwork(9), query=True))[0].ref_id == "art9"


def test_an_index_merged_step_by_step_holds_the_same_postings_in_the_same_order_as_one_merged_once() -> None:
    rng = np.random.default_rng(3)

    def postings(i: int) -> tuple:
        n = int(rng.integers(0, 60))
        return (
            f"r{i}",
            (640, 480),
            rng.integers(0, 256, 32, dtype=np.uint8),
            rng.choice(np.array([5, 17, 17, 900, 4095, 65535]), n).astype(np.int32),
            rng.integers(0, 2**63, n, dtype=np.int64).astype(np.uint64),
            rng.integers(0, 65536, (n, 2), dtype=np.uint16),
            rng.integers(0, 256, (n, 2), dtype=np.uint8),
        )

    refs = [postings(i) for i in range(40)]
    once, stepwise = MatchIndex(), MatchIndex()
    for i, ref in enumerate(refs):
        once.add_postings(*ref)
        stepwise.add_postings(*ref)
        if i % 7 == 3:
            stepwise._merge()
    once._merge()
    stepwise._merge()
    merged_once, merged_stepwise = once._postings, stepwise._postings
    assert np.array_equal(merged_once.off, merged_stepwise.off) and merged_once.off[-1] == sum(len(r[3]) for r in refs)
    for field in ("ref", "code", "xy", "sa"):
        assert np.array_equal(getattr(merged_once, field), getattr(merged_stepwise, field))
    # Within a cell, postings keep the order in which their references were added.
    cell_of = np.repeat(np.arange(len(merged_once.off) - 1), np.diff(merged_once.off))
    for cell in (17, 65535):
        refs_in_cell = merged_once.ref[cell_of == cell]
        assert list(refs_in_cell) == sorted(refs_in_cell)


def test_a_merge_leaves_the_postings_a_running_search_holds_as_they_were() -> None:
    # A merge grows each field in place; one that a search is still reading must be copied instead.
    rng = np.random.default_rng(5)
    postings = Postings()

    def add(ref: int, n: int) -> None:
        postings.append(
            ref,
            rng.integers(0, 50, n).astype(np.int32),
            rng.integers(0, 2**63, n, dtype=np.int64).astype(np.uint64),
            rng.integers(0, 65536, (n, 2), dtype=np.uint16),
            rng.integers(0, 256, (n, 2), dtype=np.uint8),
        )

    add(0, 300)
    postings.merge()
    held = postings.main()
    snapshot = [a.copy() for a in held]
    add(1, 200)
    postings.merge()
    for before, now in zip(snapshot, held, strict=True):
        assert np.array_equal(before, now)
    assert len(postings.ref) == 500 and sorted(set(postings.ref.tolist())) == [0, 1]


def test_a_query_fingerprint_cannot_be_added_as_a_reference() -> None:
    with pytest.raises(ValueError):
        MatchIndex().add("q", extract(artwork(1), query=True))


def test_a_removed_reference_is_no_longer_found(index: MatchIndex) -> None:
    idx = MatchIndex()
    for i in range(3):
        idx.add(f"art{i}", extract(artwork(i)))
    q = extract(artwork(1), query=True)
    assert idx.search(q)[0].ref_id == "art1"
    idx.remove("art1")
    assert len(idx) == 2 and "art1" not in idx
    assert all(m.ref_id != "art1" for m in idx.search(q))
    idx.add("art1", extract(artwork(1)))  # and can come back without a rebuild
    assert idx.search(q)[0].ref_id == "art1"


def test_a_saved_index_loads_and_answers_the_same(index: MatchIndex, tmp_path: Path) -> None:
    q = extract(artwork(0).rotate(7, expand=True), query=True)
    before = index.search(q)
    index.save(tmp_path / "idx.npz")
    loaded = MatchIndex.load(tmp_path / "idx.npz")
    after = loaded.search(q)
    assert len(loaded) == len(index)
    assert [(m.ref_id, round(m.score, 9)) for m in before] == [(m.ref_id, round(m.score, 9)) for m in after]


def test_shards_merge_to_the_same_results_as_the_whole_index(index: MatchIndex) -> None:
    shards = index.shard(3)
    assert sum(len(s) for s in shards) == len(index)
    for s in shards:
        assert all(shard_of(r, 3) == shards.index(s) for r in s.ref_ids)
    q = extract(artwork(4).crop((0, 0, 300, 300)), query=True)
    whole = index.search(q, k=5)
    # every shard weighs the query's keypoints by how many references of all shards share them
    shared_by = sum(s.shared_counts(q) for s in shards)
    merged = merge_results([s.search(q, k=5, shared_by=shared_by) for s in shards], k=5)
    assert [(m.ref_id, round(m.score, 9)) for m in whole] == [(m.ref_id, round(m.score, 9)) for m in merged]


def test_match_folders_writes_disc21_predictions(tmp_path: Path) -> None:
    refs, queries = tmp_path / "refs", tmp_path / "queries"
    refs.mkdir()
    queries.mkdir()
    for i in range(3):
        artwork(i).save(refs / f"R{i}.jpg", quality=92)
    artwork(1).crop((40, 40, 400, 300)).save(queries / "Q1.jpg", quality=80)
    artwork(500).save(queries / "Q2.png")
    (queries / "broken.jpg").write_bytes(b"not an image")
    out = tmp_path / "preds.csv"
    match_folders(refs, queries, out, progress=False, workers=1)
    rows = list(csv.DictReader(open(out)))
    assert set(rows[0]) == {"query_id", "reference_id", "score"}
    best: dict[str, tuple[str, float]] = {}
    for r in rows:
        if float(r["score"]) > best.get(r["query_id"], ("", -1.0))[1]:
            best[r["query_id"]] = (r["reference_id"], float(r["score"]))
    assert best["Q1"][0] == "R1" and best["Q1"][1] > 0.5
    assert best.get("Q2", ("", 0.0))[1] < 0.5
    assert "broken" not in best


def test_a_blank_picture_without_keypoints_can_be_indexed_and_searched() -> None:
    blank = extract(Image.new("RGB", (300, 200), (90, 90, 90)))
    assert len(blank) == 0
    for probes in (1, 2):
        cells, codes = blank.cells_and_codes(probes)
        assert cells.shape == (0, probes * probes) and codes.shape == (0,)
    idx = MatchIndex()
    idx.add("blank", blank)
    found = idx.search(extract(Image.new("RGB", (300, 200), (90, 90, 90)), query=True))
    assert all(0.0 <= m.score <= 1.0 for m in found)


PURE_MODULES = (
    "fingerprint",
    "index",
    "vocabulary",
    "descriptor",
    "folders",
    "candidates",
    "verification",
    "scoring",
    "postings",
)


def test_the_engine_modules_import_neither_django_nor_ninja_nor_huey() -> None:
    # The engine runs in processes without the platform (folder matching, benchmarks): it must stay
    # importable there.  A fresh interpreter, since this one has Django loaded for other tests.
    code = (
        "import importlib, sys\n"
        f"for name in {PURE_MODULES!r}: importlib.import_module('artrights.matching.' + name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja', 'huey'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_match_folders_writes_the_evidence_of_every_row_beside_the_predictions(tmp_path: Path) -> None:
    refs, queries = tmp_path / "refs", tmp_path / "queries"
    refs.mkdir()
    queries.mkdir()
    for i in range(2):
        artwork(i).save(refs / f"R{i}.jpg", quality=92)
    artwork(1).crop((0, 0, 240, 360)).save(queries / "Q1.jpg", quality=85)
    out, evidence = tmp_path / "preds.csv", tmp_path / "evidence.csv"
    match_folders(refs, queries, out, progress=False, workers=1, evidence_csv=evidence)
    preds = list(csv.DictReader(open(out)))
    rows = list(csv.DictReader(open(evidence)))
    assert [(r["query_id"], r["reference_id"], r["score"]) for r in rows] == [
        (r["query_id"], r["reference_id"], r["score"]) for r in preds
    ]
    best = max(rows, key=lambda r: float(r["score"]))
    assert best["reference_id"] == "R1" and int(float(best["inliers"])) > 10
    # the query shows the left half of the reference and nothing else
    assert float(best["query_area"]) > 0.9
    assert 0.4 < float(best["reference_area"]) < 0.6


def test_scores_of_strong_matches_stay_below_one_and_keep_their_order() -> None:
    from artrights.matching.scoring import combined_score

    # 30 to 300 inliers with exact global hashes: the old noisy-OR rounded all of them to 1.0
    scores = [combined_score(n, 0, 0, 0.0) for n in (30, 60, 120, 300)]
    assert all(s < 1.0 for s in scores)
    assert scores == sorted(scores) and len(set(scores)) == len(scores)
    # and every piece of evidence moves the score the same way
    assert combined_score(20, 256, 40, 0.0) > combined_score(20, 256, 90, 0.0) > combined_score(10, 256, 90, 0.0)
    assert combined_score(0, 256, 256, 0.0) < 0.01


def test_the_calibrated_score_is_a_probability_that_does_not_overflow() -> None:
    from artrights.matching.scoring import calibrated, score_features

    nothing = calibrated(score_features(0, 256, 256, 0.0))
    assert 0.0 <= nothing < 0.01
    assert 0.0 <= calibrated((-1e300, 0.0, 0.0, 0.0)) and calibrated((1e300, 1e300, 1e300, 1.0)) <= 1.0
    weak, strong = score_features(8, 256, 90, 0.2), score_features(80, 40, 30, 0.8)
    assert nothing < calibrated(weak) < calibrated(strong) < 1.0


def test_the_area_a_match_explains_raises_its_score_at_the_same_keypoint_count() -> None:
    from artrights.matching.scoring import combined_score

    # 60 agreeing keypoints spread over the picture, or bunched on a frame, a border or a logo
    assert combined_score(60, 256, 90, 0.0, 0.8) > combined_score(60, 256, 90, 0.0, 0.1)


def _halves(left: Image.Image, right: Image.Image) -> Image.Image:
    im = left.copy()
    im.paste(right.crop((240, 0, 480, 360)), (240, 0))
    return im


def test_a_work_that_only_shares_an_element_with_the_query_rests_on_what_is_its_own() -> None:
    # two registered works share their left half (a frame, a background, a logo); the query copies the first
    shared = artwork(61)
    first, second = _halves(shared, artwork(62)), _halves(shared, artwork(63))
    query = extract(first.resize((400, 300)), query=True)
    alone = MatchIndex(explain_away=True)
    alone.add("second", extract(second))
    both = MatchIndex(explain_away=True)
    both.add("first", extract(first))
    both.add("second", extract(second))
    found = {m.ref_id: m for m in both.search(query, k=5)}
    second_alone = alone.search(query, k=5)[0]
    assert max(found.values(), key=lambda m: m.score).ref_id == "first"
    # alone, the shared half makes the second work look like a copy; beside the first, that half is explained
    assert found["second"].inliers < second_alone.inliers / 2
    assert found["second"].score < second_alone.score


def _framed(picture: Image.Image, frame: Image.Image, border: int = 70) -> Image.Image:
    """``picture`` inside a busy decorative ``frame``, as game portraits and prints share one."""
    out = frame.resize((480 + 2 * border, 360 + 2 * border))
    out.paste(picture, (border, border))
    return out


def test_a_different_picture_in_the_same_frame_is_not_reported_as_a_copy() -> None:
    frame = artwork(70, 620, 500)
    index = MatchIndex()
    index.add("framed", extract(_framed(artwork(71), frame)))
    stranger = index.search(extract(_framed(artwork(72), frame).resize((560, 448)), query=True), k=1)
    copy = index.search(extract(_framed(artwork(71), frame).resize((560, 448)), query=True), k=1)[0]
    # the frame alone matches with many keypoints, all on the ring around the picture
    assert not stranger or (stranger[0].score < 0.5 and stranger[0].area_explained < 0.3)
    assert copy.score > 0.9 and copy.area_explained > 0.6
    assert copy.textured_regions >= 30  # the inner 6 x 6 cells of a busy picture


def test_an_element_that_many_registered_works_share_counts_less_than_one_only_one_work_holds() -> None:
    logo = artwork(90, 160, 160)

    def with_logo(picture: Image.Image) -> Image.Image:
        out = picture.copy()
        out.paste(logo, (0, 0))
        return out

    query = extract(with_logo(artwork(99)), query=True)  # an unrelated picture bearing the same logo
    one, many = MatchIndex(), MatchIndex()
    one.add("w0", extract(with_logo(artwork(80))))
    for i in range(6):
        many.add(f"w{i}", extract(with_logo(artwork(80 + i))))
    [alone] = one.search(query, k=1)
    best = many.search(query, k=1)[0]
    assert alone.inliers > 10 and alone.weighted_inliers == alone.inliers
    assert best.weighted_inliers < 0.75 * best.inliers
    assert best.score < alone.score < 0.5
