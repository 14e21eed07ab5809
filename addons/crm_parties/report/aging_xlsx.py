"""The XLSX rendering of the receivables aging (``xlsxwriter``).

Columns are declared as data and the sheet is written in fixed steps
(formats, title, header, rows, totals), with real numbers and number
formats, never text.
"""

import io

import xlsxwriter


class AgingXlsxWriter:
    def __init__(self, env, data):
        self.env = env
        self.data = data
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.formats = {}

    def render(self):
        self._define_formats()
        self._write_customers_sheet()
        self._write_subtotals_sheet(self.env._("Per salesperson"), "by_user")
        self._write_subtotals_sheet(self.env._("Per tag"), "by_category")
        self.book.close()
        return self.buffer.getvalue()

    def _define_formats(self):
        add = self.book.add_format
        self.formats = {
            "title": add({"bold": True, "font_size": 14}),
            "header": add({"bold": True, "bg_color": "#DDDDDD", "border": 1}),
            "text": add({}),
            "amount": add({"num_format": "#,##0.00"}),
            "total": add({"bold": True, "num_format": "#,##0.00", "top": 1}),
            "total_text": add({"bold": True, "top": 1}),
        }

    def _amount_columns(self):
        return [col["name"] for col in self.data["columns"]] + [self.env._("Total")]

    def _write_title(self, sheet, title):
        sheet.write(0, 0, title, self.formats["title"])
        sheet.write(
            1,
            0,
            self.env._("As of %(date)s", date=str(self.data["date"])),
            self.formats["text"],
        )

    def _write_header(self, sheet, row, first_columns):
        for col, (name, width) in enumerate(first_columns):
            sheet.set_column(col, col, width)
            sheet.write(row, col, name, self.formats["header"])
        start = len(first_columns)
        for offset, name in enumerate(self._amount_columns()):
            sheet.set_column(start + offset, start + offset, 14)
            sheet.write(row, start + offset, name, self.formats["header"])

    def _write_amounts(self, sheet, row, col, cells, total, fmt="amount"):
        cell_format = self.formats[fmt]
        for offset, value in enumerate([*cells, total]):
            if value is None:  # nothing open in that bucket
                sheet.write_blank(row, col + offset, None, cell_format)
            else:
                sheet.write_number(row, col + offset, value, cell_format)

    def _write_customers_sheet(self):
        sheet = self.book.add_worksheet(self.env._("Aging"))
        self._write_title(sheet, self.env._("Aged receivables"))
        first = [
            (self.env._("Customer"), 36),
            (self.env._("Salesperson"), 22),
            (self.env._("Currency"), 10),
        ]
        self._write_header(sheet, 3, first)
        row = 4
        user_name = {key: user.name or "" for key, user in self.data["users"].items()}
        currency_name = {key: cur.name for key, cur in self.data["currencies"].items()}
        for line in self.data["rows"]:
            sheet.write(row, 0, line["name"], self.formats["text"])
            sheet.write(row, 1, user_name[line["user_id"]], self.formats["text"])
            sheet.write(
                row, 2, currency_name[line["currency_id"]], self.formats["text"]
            )
            self._write_amounts(sheet, row, 3, line["cells"], line["total"])
            row += 1
        for total in self.data["totals"]:
            sheet.write(row, 0, self.env._("Total"), self.formats["total_text"])
            sheet.write(row, 2, total["currency"].name, self.formats["total_text"])
            self._write_amounts(sheet, row, 3, total["cells"], total["total"], "total")
            row += 1
        sheet.freeze_panes(4, 1)

    def _write_subtotals_sheet(self, title, key):
        sheet = self.book.add_worksheet(title)
        self._write_title(sheet, title)
        self._write_header(sheet, 3, [(title, 36), (self.env._("Currency"), 10)])
        row = 4
        for group in self.data[key]:
            label = group["key"].display_name if group["key"] else self.env._("None")
            for entry in group["cells_by_currency"]:
                sheet.write(row, 0, label, self.formats["text"])
                sheet.write(row, 1, entry["currency"].name, self.formats["text"])
                self._write_amounts(sheet, row, 2, entry["cells"], entry["total"])
                row += 1
