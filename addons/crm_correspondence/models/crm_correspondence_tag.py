from odoo import fields, models


class CrmCorrespondenceTag(models.Model):
    _name = "crm.correspondence.tag"
    _description = "Correspondence Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A tag with this name already exists."),
    ]
