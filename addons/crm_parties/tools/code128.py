import io

import barcode
from barcode.writer import SVGWriter
from markupsafe import Markup


def code128_svg(value):
    """``value`` as a Code 128 barcode, inline SVG markup for QWeb labels."""
    out = io.BytesIO()
    barcode.get("code128", value, writer=SVGWriter()).write(
        out, options={"module_height": 12.0, "font_size": 8, "compress": False}
    )
    svg = out.getvalue().decode()
    return Markup(svg[svg.index("<svg") :])
