from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal, pager


class ServicePortal(CustomerPortal):
    """Customers see the service cases of their own devices."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_case_count" in counters:
            Case = request.env["crm.service.case"]
            values["service_case_count"] = (
                Case.search_count([]) if Case.has_access("read") else 0
            )
        return values

    @http.route(
        ["/my/service", "/my/service/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_cases(self, page=1, **kw):
        Case = request.env["crm.service.case"]
        total = Case.search_count([])
        page_pager = pager(
            url="/my/service", total=total, page=page, step=self._items_per_page
        )
        cases = Case.search(
            [],
            order="date_open desc",
            limit=self._items_per_page,
            offset=page_pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        # read access was checked by the search: names of related records
        # (devices, serials) are shown without the portal user's rights on them
        values.update(cases=cases.sudo(), pager=page_pager, page_name="service_cases")
        return request.render("crm_service_serial.portal_my_service_cases", values)

    @http.route(["/my/service/<int:case_id>"], type="http", auth="public", website=True)
    def portal_my_service_case(self, case_id, access_token=None, **kw):
        try:
            case = self._document_check_access(
                "crm.service.case", case_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            case,
            access_token,
            {"case": case, "page_name": "service_case"},
            "my_service_cases_history",
            False,
        )
        return request.render("crm_service_serial.portal_my_service_case", values)
