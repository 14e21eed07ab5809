/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Created by the Python test: sold and delivered to CUSTOMER today.
const SERIAL = "SRV-TOUR-0001";
const CUSTOMER = "Tour Cafe Nadwislanski";
const PRODUCT = "Tour Espresso T100";
const PROBLEM = "The pump is loud and no water comes out";
// Known to nobody: registered from the scan dialog.
const NEW_SERIAL = "SRV-TOUR-NEW-7";
const NEW_PROBLEM = "Brought in without any paperwork";

const FORM = ".o_action_manager .o_form_view";
const DIALOG = ".modal .o_form_view";

/** Service > Scan a device: the intake dialog. */
function openScanSteps(content) {
    return [
        ...stepUtils.goToAppSteps("crm_service_serial.crm_service_menu_root", content),
        {
            content: "The app opens on its service cases",
            trigger: ".o_breadcrumb .active:contains('Service cases')",
        },
        {
            content: "Open Scan a device",
            trigger: ".o_menu_sections [data-menu-xmlid='crm_service_serial.crm_service_scan_menu']",
            run: "click",
        },
    ];
}

/** A USB scanner types the serial into the focused field, then Enter. */
function scanSteps(serial) {
    return [
        {
            content: "The scan dialog waits for a serial number",
            trigger: `${DIALOG} .o_field_widget[name=code] input`,
        },
        {
            content: `Scan ${serial}`,
            trigger: `${DIALOG} .o_field_widget[name=code] input`,
            run: `edit ${serial} && press Enter`,
        },
    ];
}

/** The serial scanned: the device is found, its owner and warranty shown. */
function deviceFoundSteps() {
    return [
        {
            content: "The device is found: its owner is shown",
            trigger: `${DIALOG} .o_field_widget[name=owner_id]:contains('${CUSTOMER}')`,
        },
        {
            content: "It is in warranty",
            trigger: `${DIALOG} .o_field_widget[name=warranty_status]:contains('In warranty')`,
        },
    ];
}

function caseFormSteps() {
    return [
        {
            content: "The case is open on its own page, numbered",
            trigger: `body:not(:has(.modal)) ${FORM} .o_field_widget[name=name]:contains('SRV/')`,
        },
        {
            content: "The serial number is filled",
            trigger: `${FORM} .o_field_widget[name=lot_id] input:value('${SERIAL}')`,
        },
        {
            content: "The device is filled",
            trigger: `${FORM} .o_field_widget[name=product_id] input:value('${PRODUCT}')`,
        },
        {
            content: "The owner is the customer",
            trigger: `${FORM} .o_field_widget[name=partner_id] input:value('${CUSTOMER}')`,
        },
    ];
}

function typeProblemSteps(problem) {
    return [
        {
            content: "Focus the reported problem (the editor starts its paragraph)",
            trigger: `${FORM} .o_field_widget[name=problem] .odoo-editor-editable`,
            run: "click",
        },
        {
            content: "Type the reported problem",
            trigger: `${FORM} .o_field_widget[name=problem] .odoo-editor-editable`,
            run: `editor ${problem}`,
        },
        {
            content: "The problem is typed",
            trigger: `${FORM} .o_field_widget[name=problem] .odoo-editor-editable:contains('${problem}')`,
        },
        {
            content: "Save the case",
            trigger: `${FORM} .o_form_button_save`,
            run: "click",
        },
        {
            content: "The case is saved",
            trigger: `${FORM} .o_form_saved`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_service_serial_scan_tour", {
    url: "/odoo",
    steps: () => [
        ...openScanSteps("Open the Service app"),
        ...scanSteps(SERIAL),
        ...deviceFoundSteps(),
        {
            content: "No case is open for it yet",
            trigger: `${DIALOG}:not(:has(.o_field_widget[name=open_case_id]))`,
        },
        {
            content: "Open the case",
            trigger: ".modal button[name=action_open_case]",
            run: "click",
        },
        ...caseFormSteps(),
        ...typeProblemSteps(PROBLEM),

        // The same device scanned again: its open case, not a second one.
        ...openScanSteps("Open the Service app again"),
        ...scanSteps(SERIAL),
        ...deviceFoundSteps(),
        {
            content: "Its open case is shown",
            trigger: `${DIALOG} .o_field_widget[name=open_case_id]:contains('SRV/')`,
        },
        {
            content: "Open the case",
            trigger: ".modal button[name=action_open_case]",
            run: "click",
        },
        ...caseFormSteps(),
        {
            content: "It is the same case: the problem typed before is there",
            trigger: `${FORM} .o_field_widget[name=problem]:contains('${PROBLEM}')`,
        },
    ],
});

registry.category("web_tour.tours").add("crm_service_serial_register_tour", {
    url: "/odoo",
    steps: () => [
        ...openScanSteps("Open the Service app"),
        ...scanSteps(NEW_SERIAL),
        {
            content: "The serial is unknown",
            trigger: `${DIALOG} .alert-info:contains('This serial number is unknown')`,
        },
        {
            content: "Only registering is offered",
            trigger: ".modal:not(:has(button[name=action_open_case])) button[name=action_register]",
        },
        {
            content: "Look for its product",
            trigger: `${DIALOG} .o_field_widget[name=product_id] input`,
            run: `edit ${PRODUCT}`,
        },
        {
            content: "Pick the product",
            trigger: `${DIALOG} .o_field_widget[name=product_id] .o-autocomplete--dropdown-item a:contains('${PRODUCT}')`,
            run: "click",
        },
        {
            content: "Look for the customer",
            trigger: `${DIALOG} .o_field_widget[name=partner_id] input`,
            run: `edit ${CUSTOMER}`,
        },
        {
            content: "Pick the customer",
            trigger: `${DIALOG} .o_field_widget[name=partner_id] .o-autocomplete--dropdown-item a:contains('${CUSTOMER}')`,
            run: "click",
        },
        {
            content: "The customer is chosen",
            trigger: `${DIALOG} .o_field_widget[name=partner_id] input:value('${CUSTOMER}')`,
        },
        {
            content: "Register the device and open a case",
            trigger: ".modal button[name=action_register]",
            run: "click",
        },
        {
            content: "A new case for the registered serial",
            trigger: `body:not(:has(.modal)) ${FORM} .o_field_widget[name=lot_id] input:value('${NEW_SERIAL}')`,
        },
        {
            content: "Its device is the chosen product",
            trigger: `${FORM} .o_field_widget[name=product_id] input:value('${PRODUCT}')`,
        },
        {
            content: "Its customer is the chosen one",
            trigger: `${FORM} .o_field_widget[name=partner_id] input:value('${CUSTOMER}')`,
        },
        ...typeProblemSteps(NEW_PROBLEM),
        {
            content: "It is numbered once saved",
            trigger: `${FORM} .o_field_widget[name=name]:contains('SRV/')`,
        },
    ],
});
