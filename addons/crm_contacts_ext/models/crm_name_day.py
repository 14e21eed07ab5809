from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmNameDay(models.Model):
    """A day of the Polish name-day calendar: a first name and a date.

    A name may have several days; the person's card picks one.
    """

    _name = "crm.name.day"
    _description = "Name Day"
    _order = "month, day, name"

    name = fields.Char(string="First name", required=True, index=True)
    month = fields.Integer(required=True)
    day = fields.Integer(required=True)

    _sql_constraints = [
        ("name_date_uniq", "unique (name, month, day)", "This name day exists."),
    ]

    @api.depends("name", "month", "day")
    def _compute_display_name(self):
        for name_day in self:
            name_day.display_name = (
                f"{name_day.name} ({name_day.day:02d}.{name_day.month:02d})"
            )

    @api.constrains("month", "day")
    def _check_date(self):
        for name_day in self:
            try:
                fields.Date.to_date(f"2024-{name_day.month:02d}-{name_day.day:02d}")
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "%(day)s.%(month)s is not a date.",
                        day=name_day.day,
                        month=name_day.month,
                    )
                ) from None

    @api.model
    def _for_first_name(self, first_name):
        """The name days of a first name (case-insensitive), in calendar order."""
        if not first_name:
            return self.browse()
        return self.search([("name", "=ilike", first_name.strip())])
