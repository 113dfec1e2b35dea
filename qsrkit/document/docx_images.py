"""Screenshots and charts into a .docx: one image part per distinct picture, one chart part per
chart, each drawn inline.

python-docx's `get_or_add_image` looks for an equal picture and for a free part name by scanning
every image part it has, and relates it by scanning every relationship: quadratic in the
pictures of a document. Here equal pictures are found by their SHA-1 in a dict and part names
are counted, so each picture costs the same however many came before. python-docx and lxml are
imported inside functions only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qsrkit.answers.screenshots import Picture
    from qsrkit.document.charts import Chart
    from qsrkit.document.charts_xml import ChartPart

EMU_PER_INCH = 914400
MAX_IMAGE_WIDTH = int(6.5 * EMU_PER_INCH)
MAX_IMAGE_HEIGHT = int(4.5 * EMU_PER_INCH)


class Embedder:
    """Adds pictures to `part` (the document body's part); `relate` gives an r:id for a part."""

    def __init__(self, part: Any, relate: Callable[[Any, str], str],
                 charts: Mapping[str, Chart] | None = None) -> None:
        self.part = part
        self.relate = relate
        self.charts = charts or {}
        self.chart_parts: dict[str, tuple[ChartPart, Any]] | None = None  # token → parts
        self.parts: dict[str, Any] = {}  # SHA-1 of the bytes → image part
        self.taken: set[str] | None = None  # part names in the package, read on first use
        self.count = 0
        self.shape_id = 0

    def drawing(self, picture: Picture, alt: str) -> str:
        """The run XML that shows `picture`, at most 6.5 × 4.5 inches; raises on bytes that
        python-docx cannot read as a picture (a damaged file that only starts like one)."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml.shape import CT_Inline
        from docx.shared import Emu
        from lxml import etree  # type: ignore[import-untyped,unused-ignore]

        image_part = self._image_part(picture.data)
        image = image_part.image
        r_id = self.relate(image_part, RT.IMAGE)
        width, height = int(image.width), int(image.height)
        scale = min(1.0, MAX_IMAGE_WIDTH / max(width, 1), MAX_IMAGE_HEIGHT / max(height, 1))
        self.shape_id += 1
        inline = CT_Inline.new_pic_inline(
            self.shape_id, r_id, PurePosixPath(picture.name).name, Emu(int(width * scale)),
            Emu(int(height * scale)))
        inline.docPr.set("descr", alt)
        return f"<w:r><w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing></w:r>"

    def _image_part(self, data: bytes) -> Any:
        from docx.image.image import Image
        from docx.opc.packuri import PackURI
        from docx.parts.image import ImagePart

        key = hashlib.sha1(data).hexdigest()
        found = self.parts.get(key)
        if found is None:
            image = Image.from_blob(data)
            package = self.part.package
            if self.taken is None:
                self.taken = {str(p.partname) for p in package.iter_parts()}
            while True:
                self.count += 1
                name = f"/word/media/screenshot{self.count}.{image.ext}"
                if name not in self.taken:
                    break
            self.taken.add(name)
            found = self.parts[key] = ImagePart.from_image(image, PackURI(name))
            package.image_parts.append(found)
        return found

    # --- charts (issue 15): the one place a .docx meets charts_xml ----------------------------

    def chart(self, token: str, alt: str, warnings: list[str]) -> str:
        """The run XML that draws the chart `token` names (`qsrkit-chart:NAME`), its numbers as
        alt text; its part joins the package on first use. An unknown name is left out."""
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        from qsrkit.document.charts import CHART_SCHEME
        from qsrkit.document.charts_xml import chart_parts

        if self.chart_parts is None:
            package = self.part.package
            taken = {str(p.partname) for p in package.iter_parts()}
            self.chart_parts = {
                c.token: (c, Part(PackURI(c.partname), c.content_type, c.blob, package))
                for c in chart_parts(self.charts.values(), taken)}
        found = self.chart_parts.get(token)
        if found is None:
            warnings.append(f"chart {token.removeprefix(CHART_SCHEME)!r} was left out: this "
                            "document has no chart of that name")
            return ""
        chart, part = found
        r_id = self.relate(part, chart.relationship)
        self.shape_id += 1
        return chart.drawing(r_id, self.shape_id, alt)
