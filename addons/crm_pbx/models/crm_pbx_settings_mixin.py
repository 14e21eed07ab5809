from odoo import api, models


class CrmPbxSettingsMixin(models.AbstractModel):
    """Settings that every call event reads, cached in each worker
    (``ormcache``): creating, changing or deleting one clears the caches.
    Creating too, as a name asked for before its record existed is cached
    as unknown."""

    _name = "crm.pbx.settings.mixin"
    _description = "PBX Settings Cached by the Workers"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
