"""Build extra copy-detection development sets from Debian packages that the shared builder does not use.

The shared builder (/work/shared/bench/build_dev.py) draws its images from 23 pinned Debian bookworm
packages, and the engine was tuned on sets built from them.  This script checks that the engine holds on
art it has never seen.  It imports the builder as a module, replaces its ``SOURCES`` and ``PINNED_SHA256``
with the packages below, and runs the builder's own ``main()``.  Download, normalisation,
de-duplication, transformations and output layout are therefore exactly those of build_dev.py.
The hidden test set has painted game portraits that share frames and backgrounds, clip art, scene
paintings, wallpapers and photos, so the sources are chosen to look like that.  The hard case is many
portraits on one shared background or uniform: an unrelated portrait in the same setting must not match.

The packages go into two image pools (``--pool more``, the default, and ``--pool fresh``), and ``--only``
picks the sources of each set:

- ``portraits``: game portraits and character art.
  --only naev-data,wesnoth-1.16-data,flare-game,lordsawar-data
- ``scenes``: scene photos, clip art and wallpapers.
  --only endless-sky-data,openclipart-png,plasma-workspace-wallpapers,mate-backgrounds,gnome-backgrounds
- ``fresh`` (``--pool fresh``): painted game scenes and stamps (photos and cartoons on one background),
  added on 2026-12-01 and kept out of every choice of parameters: no threshold or weight is ever chosen on
  it, so its line in bench_matching_accuracy.py's output is the nearest thing to the hidden set's.  Measure
  a change on it once, after choosing on the others; if you tune on it, add another fresh set and say so.
  --only hedgewars-data,supertux-data,tuxpaint-stamps-default

Packages (Debian bookworm, version pinned with the sha256 of the .deb):

- naev-data 0.8.2-1: painted character portraits (200x150).  They share one blurred bar/bokeh background
  and faction uniforms, so unrelated people look alike apart from the face.
- wesnoth-1.16-data 1:1.16.9-1: painted unit portraits (humans, elves, undead, monsters...), about
  400x400.  They are transparent, and the builder flattens them onto one shared dark background.  Only
  data/core/images/portraits is used.
- flare-game 1.14-1: painted head-and-shoulders NPC portraits (320x320, transparent, flattened onto one
  shared background).
- lordsawar-data 0.3.2+frogknows-1: a few painted scenes and character pictures (recruits, hero, ship,
  splash screen).
- endless-sky-data 0.9.8-1.2: landscape, city and industrial photos, 720x360 and 540x360 (images/land and
  images/scene).
- openclipart-png 1:0.18+dfsg-19: a hash-chosen fraction of the Open Clip Art Library drawings.  The
  categories are people, animals, food, plants, buildings, recreation (including playing cards, which
  share one card frame), transportation, tools, office and so on.  Icons, symbols, shapes and road signs
  are left out.
- plasma-workspace-wallpapers 4:5.27.5-2: KDE Plasma wallpapers (photos, digital art), the largest
  resolution of each.
- mate-backgrounds 1.26.0-1: MATE wallpapers (nature photos, abstract art).
- gnome-backgrounds 43.1-1: GNOME 43 wallpapers (digital art; one of each light/dark pair).
- hedgewars-data 1.0.2-6: painted forts, mission pictures and theme landscapes of Hedgewars.
- supertux-data 0.6.3-2: SuperTux's painted backgrounds, decals, world-map pieces and large creatures.
- tuxpaint-stamps-default 2022.06.04-1: Tux Paint's stamps, photos and cartoons of animals, food,
  houses and plants (transparent, flattened onto one light background); the symbol stamps are left out.

After de-duplication the pool holds 309 distinct portraits and 733 distinct scenes, which sets the largest
sizes (n-ref + n-neg + 50 <= distinct).  The builder merges most naev portraits, because they are put
together from shared faces, bodies and one background: 138 of them collapse into a single image.

Usage (with the builder's requirements, e.g. /work/benchtools/.venv/bin/python):
  python bench/build_more_sets.py --out /work/benchsets/portraits --seed 21 \\
      --only naev-data,wesnoth-1.16-data,flare-game,lordsawar-data --n-ref 170 --n-pos 85 --n-neg 85
  python bench/build_more_sets.py --out /work/benchsets/scenes --seed 23 \\
      --only endless-sky-data,openclipart-png,plasma-workspace-wallpapers,mate-backgrounds,gnome-backgrounds \\
      --n-ref 400 --n-pos 200 --n-neg 200
  python bench/build_more_sets.py --pool fresh --out /work/benchsets/fresh --seed 29 \\
      --only hedgewars-data,supertux-data,tuxpaint-stamps-default --n-ref 260 --n-pos 130 --n-neg 130

Options:
- ``--bench DIR``: the folder that holds build_dev.py (default /work/shared/bench).
- Every other option is passed on to build_dev.main(): --out, --seed, --n-ref, --n-pos, --n-neg,
  --only, --exclude, --workers and --cache.
- ``--cache`` defaults to ~/.cache/artrights-bench-more.  The builder keeps its pool in <cache>/pool_dev_v1
  and rebuilds it when SOURCES changes, so sharing the standard cache would wipe the standard pool.  This
  script therefore refuses the standard cache folder.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any

DEFAULT_BENCH = "/work/shared/bench"
DEFAULT_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "artrights-bench-more")
FRESH_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "artrights-bench-fresh")
STANDARD_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "artrights-bench")

# Same keys as build_dev.SOURCES.  The first entry whose include/exclude matches a path wins.
SOURCES: list[dict[str, Any]] = [
    # --- portraits / character art --------------------------------------------------------------
    dict(
        pkg="naev-data",
        ver="0.8.2-1",
        kind="painted character portraits on one shared background",
        include=r"/naev/dat/gfx/portraits/.+\.png$",
        exclude=r"/none\.png$",
        min_side=150,
    ),
    dict(
        pkg="wesnoth-1.16-data",
        ver="1:1.16.9-1",
        kind="painted unit portraits (transparent, flattened onto one shared background)",
        include=r"/data/core/images/portraits/[^/]+/[^/]+\.png$",
        min_side=200,
        bg=(52, 46, 40),
    ),
    dict(
        pkg="flare-game",
        ver="1.14-1",
        kind="painted NPC portraits (transparent, flattened onto one shared background)",
        include=r"/images/portraits/[^/]+\.png$",
        min_side=200,
        bg=(40, 40, 48),
    ),
    dict(
        pkg="lordsawar-data",
        ver="0.3.2+frogknows-1",
        kind="painted scenes and character pictures",
        include=r"/games/lordsawar/various/[^/]+\.png$",
        min_side=200,
        max_aspect=2.0,
    ),
    # --- scenes, clip art, wallpapers -----------------------------------------------------------
    dict(
        pkg="endless-sky-data",
        ver="0.9.8-1.2",
        kind="landscape, city and industrial photos",
        include=r"/endless-sky/images/(land|scene)/[^/]+\.(jpg|png)$",
        min_side=300,
    ),
    dict(
        pkg="openclipart-png",
        ver="1:0.18+dfsg-19",
        kind="clip art (people, animals, food, objects, playing cards)",
        include=r"/openclipart/png/(people|animals|food|plants|buildings|recreation|transportation|decorations|"
        r"education|tools|office|unsorted|science|containers|electronics)/",
        exclude=r"/(aiga-symbols|roadsigns)/",
        min_side=150,
        keep_fraction=0.25,
    ),
    dict(
        pkg="plasma-workspace-wallpapers",
        ver="4:5.27.5-2",
        kind="wallpapers (photos, digital art)",
        include=r"/wallpapers/[^/]+/contents/images(_dark)?/",
        min_side=400,
        group=r"/wallpapers/([^/]+)/contents/",
    ),
    dict(
        pkg="mate-backgrounds",
        ver="1.26.0-1",
        kind="wallpapers (nature photos, abstract art)",
        include=r"/backgrounds/mate/",
        min_side=400,
        group=r"/mate/\w+/([A-Za-z-]+?)(_\d+x\d+)?\.\w+$",
    ),
    dict(
        pkg="gnome-backgrounds",
        ver="43.1-1",
        kind="wallpapers (digital art)",
        include=r"/backgrounds/gnome/",
        min_side=400,
        group=r"/gnome/([a-z]+)-[dl]\.\w+$",
    ),
]

# The "fresh" set's packages make a pool of their own: images of one pool are de-duplicated against each
# other, so adding them to SOURCES would change the portraits and scenes sets (Tux Paint's cartoon stamps
# are Open Clip Art drawings).
FRESH_SOURCES: list[dict[str, Any]] = [
    dict(
        pkg="hedgewars-data",
        ver="1.0.2-6",
        kind="painted game scenes: forts, mission pictures, theme skies and landscapes",
        include=r"/hedgewars/Data/(Forts|Graphics/Missions|Themes)/.+\.png$",
        exclude=r"/(Hats|Flags|Graves|Hedgehog)/",
        min_side=200,
        max_aspect=2.5,
        bg=(30, 30, 36),
    ),
    dict(
        pkg="supertux-data",
        ver="0.6.3-2",
        kind="painted game backgrounds, decals and large creatures",
        include=r"/supertux2/images/(background|decal|creatures|worldmap)/.+\.(png|jpg)$",
        exclude=r"/engine/",
        min_side=200,
        max_aspect=2.5,
        bg=(24, 28, 40),
    ),
    dict(
        pkg="tuxpaint-stamps-default",
        ver="2022.06.04-1",
        kind="stamps: photos and cartoons of animals, food, houses, plants (transparent, on one background)",
        include=r"/tuxpaint/stamps/.+\.png$",
        exclude=r"/symbols/",
        min_side=150,
        bg=(250, 250, 250),
    ),
]

# sha256 of the pinned .deb files (Debian bookworm, as fetched by `apt-get download PKG=VER`)
PINNED_SHA256: dict[str, str] = {
    "naev-data": "a98849cacdfc72779e03ceb68f32af03cb3c3f382ba8b82e3299ef87254b454d",
    "wesnoth-1.16-data": "1012b964bd412a6770685e3324ae3b61e176caff7846192d1ee63d55cd621e26",
    "flare-game": "4ab6a8298276013d35a0806257e130d992761af1b749041433b409c3dafec508",
    "lordsawar-data": "6487709d91a8f69f0b9ea05afad86b3a523564dcd277a0174752530fa3934ad8",
    "endless-sky-data": "e45835e05a11e84bb1a890a0ded390246a53b8318f21a25925aa70fa54f80c13",
    "openclipart-png": "f07f1545a2970c2cf3fa339bc2405da1a95cf2b1827bfa05bf73eb1c20291c02",
    "plasma-workspace-wallpapers": "32cd18b71c8c938a18b3b351f217c02ac590e323caa3cf322fbb875ce8892f8b",
    "mate-backgrounds": "7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04",
    "gnome-backgrounds": "a670dea21572652127d6e55f9cdb3a226d0037854fdbfd037003c7d00ee0dc4e",
    "hedgewars-data": "722225903a72604403e6e0026e40e9a6953f47a74d94efc5f55504bc05bb4761",
    "supertux-data": "a6ad8865972f1dbb5e7b49f4e1b381dd16a68f3028a3502cfeaca2400285d27f",
    "tuxpaint-stamps-default": "6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34",
}


def load_builder(bench: str, pool: str = "more") -> Any:
    """Import build_dev.py from `bench` and swap in this script's sources (of the pool `pool`)."""
    sys.path.insert(0, os.path.abspath(bench))
    mod: Any = importlib.import_module("build_dev")
    mod.SOURCES = FRESH_SOURCES if pool == "fresh" else SOURCES
    mod.PINNED_SHA256 = PINNED_SHA256
    return mod


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--bench", default=DEFAULT_BENCH, help="folder holding build_dev.py")
    ap.add_argument("--pool", choices=("more", "fresh"), default="more", help="which packages (see the docstring)")
    ap.add_argument("--cache", default=None)
    args, rest = ap.parse_known_args(sys.argv[1:] if argv is None else argv)
    if args.cache is None:
        args.cache = FRESH_CACHE if args.pool == "fresh" else DEFAULT_CACHE
    if os.path.realpath(os.path.expanduser(args.cache)) == os.path.realpath(STANDARD_CACHE):
        raise SystemExit(
            f"--cache {args.cache} is the standard pool's cache: building there would replace the standard "
            f"pool; use another folder (default {DEFAULT_CACHE})"
        )
    builder = load_builder(args.bench, args.pool)
    sys.argv = [sys.argv[0], "--cache", args.cache, *rest]
    builder.main()


if __name__ == "__main__":
    main()
