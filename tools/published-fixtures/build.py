#!/usr/bin/python3
"""Builds the published-layout fixtures (tests/fixtures/published/README.md). Run with Debian's
python3 (torch 1.13, onnx 1.12), from the repository root:

    nice -n 15 /usr/bin/python3 tools/published-fixtures/build.py tests/fixtures/published [name ...]
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import blip  # noqa: E402
import clip  # noqa: E402
import lcm  # noqa: E402
import sd15  # noqa: E402
import sd15_int8  # noqa: E402
import sd_turbo  # noqa: E402
import vit_gpt2  # noqa: E402

BUILDERS = {
    "Xenova--vit-gpt2-image-captioning": vit_gpt2.write,
    "Xenova--clip-vit-base-patch32": clip.write,
    "onnx-community--stable-diffusion-v1-5-ONNX": sd15.write,
    # After its source: an 8-bit copy of the SD 1.5 fixture (the repo name is ours; see sd15_int8.py).
    "roundtrip-fixtures--stable-diffusion-v1-5-int8-onnx": sd15_int8.write,
    "schmuell--sd-turbo-ort-web": sd_turbo.write,
    "SimianLuo--LCM_Dreamshaper_v7": lcm.write,
    "Xenova--blip-image-captioning-base": blip.write,
}


def main(argv):
    out = argv[1]
    names = argv[2:] or list(BUILDERS)
    for name in names:
        root = os.path.join(out, name)
        if os.path.isdir(root):
            shutil.rmtree(root)  # the tree must hold exactly the publisher's files, nothing stale
        BUILDERS[name](root)
        print("wrote", root)


if __name__ == "__main__":
    main(sys.argv)
