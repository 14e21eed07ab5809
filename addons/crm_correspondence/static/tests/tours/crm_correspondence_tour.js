/** @odoo-module **/

import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const { DateTime } = luxon;

const SUBJECT = "Tour: request for quotation";
const SENDER = "Tour Sender Sp. z o.o.";
const ASSIGN_REASON = "Please prepare the quotation";
const FORWARD_REASON = "Sales handles quotations";

const FORM = ".o_action_manager .o_form_view";
const DIALOG = ".modal .o_form_view";

registry.category("web_tour.tours").add("crm_correspondence_incoming_tour", {
    url: "/odoo",
    steps: () => {
        const year = DateTime.now().year;
        // typed as the user would, in the user's date format
        const deadline = formatDate(DateTime.now().plus({ days: 10 }));
        return [
            // Correspondence > Registers > Incoming mail
            ...stepUtils.goToAppSteps(
                "crm_correspondence.crm_correspondence_menu_root",
                "Open the Correspondence app"
            ),
            {
                content: "Open the Registers menu",
                trigger:
                    ".o_menu_sections [data-menu-xmlid='crm_correspondence.crm_correspondence_menu_registers']",
                run: "click",
            },
            {
                content: "Open the incoming mail register",
                trigger:
                    ".dropdown-item[data-menu-xmlid='crm_correspondence.crm_correspondence_menu_incoming']",
                run: "click",
            },
            {
                content: "The incoming mail is listed",
                trigger: ".o_breadcrumb .active:contains('Incoming mail')",
            },
            {
                content: "Register a new item",
                trigger: ".o_control_panel .o_list_button_add",
                run: "click",
            },

            // The letter
            {
                content: "Give its subject",
                trigger: `${FORM} .o_field_widget[name=subject] input`,
                run: `edit ${SUBJECT}`,
            },
            {
                content: "It came by courier",
                trigger: `${FORM} .o_field_widget[name=channel] select`,
                run: 'select "courier"',
            },
            {
                content: "Type the name of a sender not known yet",
                trigger: `${FORM} .o_field_widget[name=partner_id] input`,
                run: `edit ${SENDER}`,
            },
            {
                content: "Create the sender on the fly",
                trigger: `${FORM} .o_field_widget[name=partner_id] .o_m2o_dropdown_option_create a:contains('${SENDER}')`,
                run: "click",
            },
            {
                content: "The new sender is the correspondent",
                trigger: `${FORM} .o_field_widget[name=partner_id] input:value('${SENDER}')`,
            },
            {
                content: "Note their reference",
                trigger: `${FORM} .o_field_widget[name=reference_theirs] input`,
                run: "edit TOUR-1",
            },
            {
                content: "Save the item",
                trigger: ".o_form_button_save",
                run: "click",
            },
            {
                content: "It is saved and numbered in the incoming register",
                trigger: `${FORM} .o_field_widget[name=name]:contains('IN/${year}/')`,
            },

            // Assigned to a person
            {
                content: "Assign it",
                trigger: `${FORM} .o_statusbar_buttons button[name=action_assign]:contains('Assign')`,
                run: "click",
            },
            {
                content: "Look for the assignee",
                trigger: `${DIALOG} .o_field_widget[name=user_id] input`,
                run: "edit Marc Demo",
            },
            {
                content: "Pick Marc Demo",
                trigger: `${DIALOG} .o_field_widget[name=user_id] .o-autocomplete--dropdown-item a:contains('Marc Demo')`,
                run: "click",
            },
            {
                content: "His department is proposed",
                trigger: `${DIALOG} .o_field_widget[name=department_id] input:value('Research')`,
            },
            {
                content: "Give a reply deadline",
                trigger: `${DIALOG} .o_field_widget[name=deadline] input`,
                run: `edit ${deadline} && press Enter`,
            },
            {
                content: "Say what is expected",
                trigger: `${DIALOG} .o_field_widget[name=reason] textarea`,
                run: `edit ${ASSIGN_REASON}`,
            },
            {
                content: "Confirm the assignment",
                trigger: ".modal button[name=action_confirm]",
                run: "click",
            },
            {
                content: "It is assigned",
                trigger: `body:not(:has(.modal)) ${FORM} .o_statusbar_status .o_arrow_button_current[data-value=assigned]`,
            },
            {
                content: "Marc Demo is the assignee",
                trigger: `${FORM} .o_field_widget[name=user_id]:contains('Marc Demo')`,
            },

            // Forwarded to a department
            {
                content: "Forward it",
                trigger: `${FORM} .o_statusbar_buttons button[name=action_assign]:contains('Forward')`,
                run: "click",
            },
            {
                content: "No person this time",
                trigger: `${DIALOG} .o_field_widget[name=user_id] input`,
                run: "clear",
            },
            {
                content: "Look for the Sales department",
                trigger: `${DIALOG} .o_field_widget[name=department_id] input`,
                run: "edit Sales",
            },
            {
                content: "Pick Sales",
                trigger: `${DIALOG} .o_field_widget[name=department_id] .o-autocomplete--dropdown-item a:contains('Sales')`,
                run: "click",
            },
            {
                content: "Sales is chosen",
                trigger: `${DIALOG} .o_field_widget[name=department_id] input:value('Sales')`,
            },
            {
                content: "Say why",
                trigger: `${DIALOG} .o_field_widget[name=reason] textarea`,
                run: `edit ${FORWARD_REASON}`,
            },
            {
                content: "Confirm the forwarding",
                trigger: ".modal button[name=action_confirm]",
                run: "click",
            },
            {
                content: "It is now with Sales",
                trigger: `body:not(:has(.modal)) ${FORM} .o_field_widget[name=department_id]:contains('Sales')`,
            },
            {
                content: "Open the forwarding history",
                trigger: ".o_notebook_headers a[name=forwarding]",
                run: "click",
            },
            {
                content: "Both hops are in the history",
                trigger: `${FORM} .o_field_widget[name=forward_ids]:has(.o_data_row:contains('${FORWARD_REASON}')):has(.o_data_row:contains('${ASSIGN_REASON}'))`,
            },
        ];
    },
});
