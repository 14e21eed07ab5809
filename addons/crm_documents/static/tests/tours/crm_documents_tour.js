/** @odoo-module **/

import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const { DateTime } = luxon;

const TITLE = "Tour maintenance contract";
const HOLDING = "Vistula Holding S.A.";
const FILENAME = "tour-maintenance-contract-v1.txt";

const FORM = ".o_form_view";
const DIALOG = ".modal .o_form_view";

registry.category("web_tour.tours").add("crm_documents_contract_tour", {
    url: "/odoo",
    steps: () => {
        // typed as the user would, in the user's date format
        const validFrom = formatDate(DateTime.now());
        const validTo = formatDate(DateTime.now().plus({ days: 20 }));
        return [
            // CRM > Documents > Documents
            ...stepUtils.goToAppSteps("crm.crm_menu_root", "Open the CRM app"),
            {
                content: "Open the Documents menu",
                trigger: ".o_menu_sections [data-menu-xmlid='crm_documents.crm_documents_menu_root']",
                run: "click",
            },
            {
                content: "Open the documents",
                trigger: ".dropdown-item[data-menu-xmlid='crm_documents.crm_document_menu']",
                run: "click",
            },
            {
                content: "The documents are listed",
                trigger: ".o_breadcrumb .active:contains('Documents')",
            },
            {
                content: "Create a document",
                trigger: ".o_control_panel .o_list_button_add",
                run: "click",
            },

            // The contract
            {
                content: "Give it a title",
                trigger: `${FORM} .o_field_widget[name=name] input`,
                run: `edit ${TITLE}`,
            },
            {
                content: "Choose the contract type",
                trigger: `${FORM} .o_field_widget[name=type_id] input`,
                run: "edit Contract",
            },
            {
                content: "Pick Contract in the list",
                trigger: ".o-autocomplete--dropdown-item a:contains('Contract')",
                run: "click",
            },
            {
                // the type proposes its default notice period (90 days)
                content: "The notice period of a contract is proposed",
                trigger: `${FORM} .o_field_widget[name=notice_days] input:value(90)`,
            },
            {
                content: "Look for the partner",
                trigger: `${FORM} .o_field_widget[name=partner_ids] input`,
                run: "edit Vistula Holding",
            },
            {
                // not its staff ("Vistula Holding S.A., Anna Nowak")
                content: "Pick the holding itself",
                trigger: `.o-autocomplete--dropdown-item a:contains('${HOLDING}'):not(:contains(','))`,
                run: "click",
            },
            {
                content: "The holding is a partner of the document",
                trigger: `${FORM} .o_field_widget[name=partner_ids] .o_tag:contains('${HOLDING}')`,
            },
            {
                content: "Valid from today",
                trigger: `${FORM} .o_field_widget[name=date_from] input`,
                run: `edit ${validFrom} && press Enter`,
            },
            {
                content: "Valid for twenty days",
                trigger: `${FORM} .o_field_widget[name=date_to] input`,
                run: `edit ${validTo} && press Enter`,
            },
            {
                content: "A ten-day notice period",
                trigger: `${FORM} .o_field_widget[name=notice_days] input`,
                run: "edit 10 && press Enter",
            },
            {
                content: "The last day to give notice is computed",
                trigger: `${FORM} .o_field_widget[name=notice_date]:contains('${formatDate(
                    DateTime.now().plus({ days: 10 })
                )}')`,
            },
            {
                content: "Save the document",
                trigger: ".o_form_button_save",
                run: "click",
            },
            {
                content: "It is saved and numbered",
                trigger: `${FORM} .o_field_widget[name=number]:contains('DOC/')`,
            },

            // A first version of its file
            {
                content: "Open the Versions page",
                trigger: ".o_notebook_headers a[name=versions]",
                run: "click",
            },
            {
                content: "Check the document out",
                trigger: `${FORM} button[name=action_check_out]`,
                run: "click",
            },
            {
                content: "It is checked out",
                trigger: `${FORM} .alert-warning:contains('Checked out by')`,
            },
            {
                content: "Check in a new version",
                trigger: `${FORM} button[name=action_open_check_in]`,
                run: "click",
            },
            {
                content: "Upload the file",
                trigger: `${DIALOG} .o_field_widget[name=datas] .o_select_file_button`,
                run() {
                    // what choosing a file in the browser's dialog does
                    const input = document.querySelector(
                        `${DIALOG} .o_field_widget[name=datas] input[type=file]`
                    );
                    const transfer = new DataTransfer();
                    transfer.items.add(
                        new File(["Maintenance contract - first draft"], FILENAME, {
                            type: "text/plain",
                        })
                    );
                    input.files = transfer.files;
                    input.dispatchEvent(new Event("change", { bubbles: true }));
                },
            },
            {
                content: "The file is uploaded",
                trigger: `${DIALOG} .o_field_widget[name=datas] input:value('${FILENAME}')`,
            },
            {
                content: "Say what changed",
                trigger: `${DIALOG} .o_field_widget[name=comment] input`,
                run: "edit first draft",
            },
            {
                content: "Check the version in",
                trigger: ".modal button[name=action_check_in]",
                run: "click",
            },
            {
                content: "The first version is listed",
                trigger: `${FORM} .o_field_widget[name=version_ids] .o_data_row:has(td[name=number]:contains('1')):contains('first draft'):contains('${FILENAME}')`,
            },
            {
                content: "The document is no longer checked out",
                trigger: `${FORM}:not(:has(.alert-warning)) button[name=action_check_out]`,
            },

            // Through the status flow
            {
                content: "Submit it for review",
                trigger: `${FORM} button[name=action_submit]`,
                run: "click",
            },
            {
                content: "Approve it",
                trigger: `${FORM} button[name=action_approve]`,
                run: "click",
            },
            {
                content: "Mark it signed",
                trigger: `${FORM} button[name=action_sign]`,
                run: "click",
            },
            {
                content: "Activate it",
                trigger: `${FORM} button[name=action_activate]`,
                run: "click",
            },
            {
                content: "It is active",
                trigger: `${FORM} .o_statusbar_status .o_arrow_button_current[data-value=active]`,
            },

            // Its expiry on the dashboard
            {
                content: "Open the Documents menu",
                trigger: ".o_menu_sections [data-menu-xmlid='crm_documents.crm_documents_menu_root']",
                run: "click",
            },
            {
                content: "Open the expiry dashboard",
                trigger: ".dropdown-item[data-menu-xmlid='crm_documents.crm_document_expiry_menu']",
                run: "click",
            },
            {
                content: "It shows what ends within 90 days",
                trigger: ".o_searchview_facet:contains('Ends within 90 days')",
            },
            {
                content: "Switch to the list",
                trigger: ".o_switch_view.o_list",
                run: "click",
            },
            {
                content: "The new contract is listed",
                trigger: `.o_list_view .o_data_row:contains('${TITLE}')`,
            },
        ];
    },
});
