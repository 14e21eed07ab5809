from odoo import models


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "crm.service.linked.mixin"]
