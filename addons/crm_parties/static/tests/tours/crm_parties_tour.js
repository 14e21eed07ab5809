/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const HOLDING = "Vistula Holding S.A.";

registry.category("web_tour.tours").add("crm_parties_partner_card_tour", {
    url: "/odoo/contacts",
    steps: () => [
        // Find the holding in the contacts
        {
            content: "Search the holding",
            trigger: ".o_searchview_input",
            run: "edit Vistula Holding",
        },
        {
            content: "Validate the search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The search facet is applied",
            trigger: ".o_searchview_facet:contains('Vistula Holding')",
        },
        {
            // Its staff match too ("Vistula Holding S.A., Anna Nowak"): the
            // company card is the one without a person's photo frame.
            content: "Open the card of the holding",
            trigger: `.o_kanban_record:not(:has(.o_kanban_image_fill)):contains('${HOLDING}')`,
            run: "click",
        },
        {
            content: "The partner card is open",
            trigger: `.o_breadcrumb .active:contains('${HOLDING}')`,
        },

        // Relationship: group structure and staff
        {
            content: "Open the Relationship page",
            trigger: ".o_notebook_headers a[name=crm_relationship]",
            run: "click",
        },
        {
            content: "The classification is shown",
            trigger: ".o_notebook_headers a[name=crm_relationship].active",
        },
        {
            content: "A subsidiary is listed under the group members",
            trigger:
                ".o_field_widget[name=group_child_ids] .o_data_row:contains('Vistula Logistics Sp. z o.o.'):contains('Subsidiary')",
        },
        {
            content: "The other subsidiary too",
            trigger:
                ".o_field_widget[name=group_child_ids] .o_data_row:contains('Vistula Retail Sp. z o.o.')",
        },
        {
            content: "The staff is listed",
            trigger:
                ".o_field_widget[name=child_ids] .o_data_row:contains('Anna Nowak'):contains('Chief Financial Officer')",
        },

        // Satisfaction history
        {
            content: "Open the Satisfaction page",
            trigger: ".o_notebook_headers a[name=crm_satisfaction]",
            run: "click",
        },
        {
            content: "The current level is the one of the latest assessment",
            trigger: ".o_field_widget[name=satisfaction_level]:contains('3')",
        },
        {
            content: "The trend compares it with the assessment before",
            trigger: ".o_field_widget[name=satisfaction_trend] .badge:contains('Worsening')",
        },
        {
            content: "The history shows the levels of the assessments",
            trigger:
                ".o_field_widget[name=satisfaction_assessment_ids] .o_data_row:has(td[name=level]:contains('5')):contains('Very satisfied')",
        },
        {
            content: "All three assessments are listed",
            trigger:
                ".o_field_widget[name=satisfaction_assessment_ids] .o_data_row:eq(2):has(td[name=level]:contains('4'))",
        },

        // Timeline
        stepUtils.autoExpandMoreButtons(),
        {
            content: "Open the timeline",
            trigger: "button[name=action_open_timeline]",
            run: "click",
        },
        {
            content: "The timeline of the holding is open",
            trigger: `.o_breadcrumb .active:contains('Timeline of ${HOLDING}')`,
        },
        {
            content: "The e-mail is on the timeline",
            trigger: ".o_list_view .o_data_row:contains('Late deliveries'):has(td[name=kind]:contains('Message'))",
        },
        {
            content: "The meeting is on the timeline",
            trigger:
                ".o_list_view .o_data_row:contains('Delivery review with Vistula Holding'):has(td[name=kind]:contains('Meeting'))",
        },
        {
            content: "The confirmed sales order is on the timeline",
            trigger: ".o_list_view .o_data_row:has(td[name=kind]:contains('Sales Order'))",
        },
        {
            content: "The opportunity is on the timeline",
            trigger:
                ".o_list_view .o_data_row:contains('Equipment for two new branches'):has(td[name=kind]:contains('Opportunity'))",
        },
        {
            content: "Open the meeting",
            trigger:
                ".o_list_view .o_data_row:contains('Delivery review with Vistula Holding') button[name=action_open_record]",
            run: "click",
        },
        {
            content: "The calendar event form is open",
            trigger:
                ".o_form_view .o_field_widget[name=name]:has(:value('Delivery review with Vistula Holding'))",
        },
        {
            content: "The breadcrumb leads back to the timeline",
            trigger: `.o_breadcrumb .breadcrumb-item:contains('Timeline of ${HOLDING}')`,
        },
    ],
});
