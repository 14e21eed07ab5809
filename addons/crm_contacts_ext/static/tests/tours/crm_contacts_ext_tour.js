/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const PERSON = "Anna Nowak";
const NEW_PHONE = "+48 22 555 66 77";

registry.category("web_tour.tours").add("crm_contacts_ext_person_card_tour", {
    url: "/odoo/contacts",
    steps: () => [
        // Find the person in the contacts
        {
            content: "Search the person",
            trigger: ".o_searchview_input",
            run: `edit ${PERSON}`,
        },
        {
            content: "Validate the search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The search facet is applied",
            trigger: `.o_searchview_facet:contains('${PERSON}')`,
        },
        {
            content: "Open the card of the person",
            trigger: `.o_kanban_record:contains('${PERSON}')`,
            run: "click",
        },
        {
            content: "The person's card is open",
            trigger: `.o_breadcrumb .active:contains('${PERSON}')`,
        },

        // Person page: identifiers and personal data
        {
            content: "Open the Person page",
            trigger: ".o_notebook_headers a[name=crm_person]",
            run: "click",
        },
        {
            content: "The Person page is shown",
            trigger: ".o_notebook_headers a[name=crm_person].active",
        },
        {
            content: "The PESEL is masked",
            trigger: ".o_field_widget[name=pesel_masked]:contains('•••••••5507')",
        },
        {
            content: "The full PESEL is not on the card",
            trigger: ".o_notebook .tab-pane.active:not(:contains('88092155507'))",
        },
        {
            content: "The NIP is shown without dashes",
            trigger: ".o_field_widget[name=nip] input:value('1234563218')",
        },
        {
            content: "The date of birth is the one of the PESEL",
            trigger: ".o_field_widget[name=birth_date] input:value('09/21/1988')",
        },
        {
            content: "The sex is the one of the PESEL",
            trigger: ".o_field_widget[name=gender] select:value(female)",
        },
        {
            content: "The name day is one of Anna's",
            trigger: ".o_field_widget[name=name_day_id] input:value('Anna (')",
        },
        {
            content: "The phones and e-mails are listed",
            trigger:
                ".o_field_widget[name=channel_ids] .o_data_row:contains('+48 601 200 300'):contains('Phone')",
        },
        {
            content: "The e-mail too",
            trigger:
                ".o_field_widget[name=channel_ids] .o_data_row:contains('anna.nowak@example.com'):contains('E-mail')",
        },
        {
            content: "The home address is listed",
            trigger:
                ".o_field_widget[name=address_ids] .o_data_row:contains('ul. Lipowa 7'):contains('Piaseczno')",
        },
        {
            content: "The correspondence address too",
            trigger:
                ".o_field_widget[name=address_ids] .o_data_row:contains('skr. poczt. 12'):contains('Warszawa')",
        },
        {
            content: "The employment history shows the holding",
            trigger:
                ".o_field_widget[name=employment_ids] .o_data_row:contains('Vistula Holding S.A.'):contains('Chief Financial Officer')",
        },

        // A new phone
        {
            content: "Add a line to the phones and e-mails",
            trigger: ".o_field_widget[name=channel_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Pick the medium Phone",
            trigger: ".o_field_widget[name=channel_ids] .o_selected_row td[name=medium] select",
            run: "selectByLabel Phone",
        },
        {
            content: "Type the number",
            trigger: ".o_field_widget[name=channel_ids] .o_selected_row td[name=value] input",
            run: `edit ${NEW_PHONE}`,
        },
        ...stepUtils.saveForm(),
        {
            content: "The new phone is saved in the list",
            trigger: `.o_field_widget[name=channel_ids] .o_data_row:not(.o_selected_row):contains('${NEW_PHONE}'):contains('Phone')`,
        },

        // Showing the PESEL (the user is in the PESEL group)
        {
            content: "Show the PESEL",
            trigger: ".o_form_view button[name=action_reveal_pesel]",
            run: "click",
        },
        {
            content: "The dialog shows the full PESEL",
            trigger: ".modal .o_field_widget[name=pesel] input:value('88092155507')",
        },
        {
            content: "Close the dialog",
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },

        // Contact history
        {
            content: "Open the contact history",
            trigger: ".o_notebook .tab-pane.active button[name=action_open_contact_history]",
            run: "click",
        },
        {
            content: "The contact history of the person is open",
            trigger: `.o_breadcrumb .active:contains('Contact history of ${PERSON}')`,
        },
        {
            content: "Her meeting is on the timeline",
            trigger:
                ".o_list_view .o_data_row:contains('Delivery review with Vistula Holding'):has(td[name=kind]:contains('Meeting'))",
        },
    ],
});
