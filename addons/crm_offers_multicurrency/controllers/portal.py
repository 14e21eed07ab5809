from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class OfferPortal(CustomerPortal):
    @http.route(
        "/my/orders/<int:order_id>/offer/accept",
        type="http",
        auth="public",
        methods=["POST"],
    )
    def portal_offer_accept(self, order_id, variant_id=None, access_token=None, **kw):
        """The customer accepts one variant of their offer."""
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        variant = order_sudo.offer_variant_ids.filtered(
            lambda v: str(v.id) == str(variant_id)
        )
        query = {}
        try:
            if not variant:
                raise UserError(request.env._("Choose one of the offer's variants."))
            order_sudo._offer_accept(variant, portal=True)
            query["offer_accepted"] = 1
        except (UserError, ValidationError) as error:
            query["offer_error"] = error.args[0]
        return request.redirect(
            order_sudo.get_portal_url(query_string="&" + url_encode(query))
        )
