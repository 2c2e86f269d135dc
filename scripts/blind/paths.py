"""Where the blind checks find the binary and write their files: the
repository's release build (or $FRAMESCOPE_BIN) and target/blind/."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("FRAMESCOPE_BIN", os.path.join(ROOT, "target", "release", "framescope"))


def work(name):
    """target/blind/NAME, made if missing."""
    d = os.path.join(ROOT, "target", "blind", name)
    os.makedirs(d, exist_ok=True)
    return d
