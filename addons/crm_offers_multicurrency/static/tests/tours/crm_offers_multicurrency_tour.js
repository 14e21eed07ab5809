/** @odoo-module **/

import { registry } from "@web/core/registry";

const FORM = ".o_form_view";
const ROW = ".o_field_widget[name=order_line] .o_selected_row";

function pick(field, text, scope = FORM) {
    return [
        {
            content: `Type ${text} in ${field}`,
            trigger: `${scope} .o_field_widget[name=${field}] input`,
            run: `edit ${text}`,
        },
        {
            content: `Pick ${text}`,
            trigger: `.o-autocomplete--dropdown-item a:contains('${text}')`,
            run: "click",
        },
    ];
}

function addLine(product, variant) {
    return [
        {
            content: `Add a line for ${product}`,
            trigger: `${FORM} .o_field_x2many_list_row_add a:contains('Add a product')`,
            run: "click",
        },
        {
            content: "The new line is being edited",
            trigger: ROW,
        },
        ...pick("product_template_id", product, ROW),
        ...pick("offer_variant_id", variant, ROW),
        {
            content: `${product} is in the ${variant} variant`,
            trigger: `${ROW} .o_field_widget[name=offer_variant_id] input:value('${variant}')`,
        },
        // saved before the next line: on a busy machine the next "Add a
        // product" could otherwise type into this row, still selected
        {
            content: `Save the ${product} line`,
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: `The ${product} line is saved`,
            trigger: `${FORM} .o_form_saved`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_offers_multicurrency_tour", {
    url: "/odoo/action-sale.action_quotations_with_onboarding",
    steps: () => [
        {
            content: "Create a quotation",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        ...pick("partner_id", "Tour Customer"),
        ...pick("offer_profile_id", "Tour Export"),
        {
            content: "Save the offer with the profile's variants and currencies",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "It is saved",
            trigger: `${FORM} .o_form_saved`,
        },
        ...addLine("Tour Desk", "Basic"),
        ...addLine("Tour Chair", "Premium"),
        {
            content: "Open the variants and currencies",
            trigger: ".o_notebook_headers a[name=offer]",
            run: "click",
        },
        {
            content: "Each variant has its total in the offer's currency and the others",
            trigger: `${FORM} .o_field_widget[name=offer_variant_ids] .o_data_row:contains('Premium'):contains('TYN'):contains('TEU')`,
        },
        {
            content: "The rates of both currencies are listed",
            trigger: `${FORM} .o_field_widget[name=offer_rate_ids] .o_data_row:contains('TYN')`,
        },
    ],
});
