from odoo import fields, models


class CrmPbxCallEvent(models.Model):
    """An event received from a PBX, kept once: the key makes posting idempotent.

    The key is the PBX's own event id when it sends one, otherwise the event
    name, call id, timestamp and extension.
    """

    _name = "crm.pbx.call.event"
    _description = "Call Event"
    _order = "date, id"
    _log_access = True

    pbx_id = fields.Many2one("crm.pbx", string="PBX", required=True, ondelete="cascade")
    call_id = fields.Many2one("crm.pbx.call", index=True, ondelete="cascade")
    call_uid = fields.Char(string="Call ID", required=True)
    event_key = fields.Char(required=True)
    name = fields.Selection(
        [
            ("ringing", "Ringing"),
            ("answered", "Answered"),
            ("hold", "On hold"),
            ("unhold", "Resumed"),
            ("transferred", "Transferred"),
            ("hangup", "Hung up"),
            ("cdr", "Call detail record"),
        ],
        string="Event",
        required=True,
    )
    date = fields.Datetime(required=True)

    _sql_constraints = [
        (
            "event_key_pbx_unique",
            "unique(pbx_id, event_key)",
            "An event is received once per PBX.",
        ),
    ]
