/** @odoo-module **/

import { queryAll } from "@odoo/hoot-dom";
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { patch } from "@web/core/utils/patch";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const HOLDING = "Vistula Holding S.A.";
const PIVOT = ".o_pivot_view .o_pivot table";
const HOLDING_ROW = `${PIVOT} tbody tr:has(th:contains('${HOLDING}'))`;
const XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function openAgingWizard() {
    return [
        {
            content: "Open the Reporting menu of CRM",
            trigger: '.dropdown-toggle[data-menu-xmlid="crm.crm_menu_report"]',
            run: "click",
        },
        {
            content: "Open the aged receivables",
            trigger: '.dropdown-item[data-menu-xmlid="crm_parties.crm_aging_report_menu"]',
            run: "click",
        },
        {
            content: "The options of the aging open in a dialog, as of today by default",
            trigger: ".modal .o_form_view .o_field_widget[name=date] input:value(/\\d/)",
        },
    ];
}

registry.category("web_tour.tours").add("crm_parties_aging_tour", {
    url: "/odoo",
    steps: () => {
        // Shared by the steps: the overdue bucket drilled into, the XLSX link.
        let bucket = null;
        let downloadUrl = null;
        let unpatchOpen = null;
        return [
            stepUtils.showAppsMenuItem(),
            {
                content: "Open CRM",
                trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
                run: "click",
            },
            ...openAgingWizard(),
            {
                content: "View the aging on screen",
                trigger: ".modal footer button[name=action_view]",
                run: "click",
            },

            // The pivot: customers by bucket
            {
                content: "The aging pivot is open",
                trigger: ".o_breadcrumb .active:contains('Aging as of')",
            },
            {
                content: "The holding is a row of the pivot",
                trigger: `${HOLDING_ROW} .o_pivot_header_cell_closed:contains('${HOLDING}')`,
            },
            {
                content: "The buckets are the columns: not due...",
                trigger: `${PIVOT} thead th:contains('Not due')`,
            },
            {
                content: "...the first overdue range...",
                trigger: `${PIVOT} thead th:contains('1-30')`,
            },
            {
                content: "...and the open-ended last one",
                trigger: `${PIVOT} thead th:contains('Over 120')`,
            },
            {
                content: "Drill into an overdue bucket of the holding",
                trigger: `${HOLDING_ROW} td.o_pivot_cell_value:not(.o_empty)`,
                run() {
                    // The leaf column headers are in the order of the cells of
                    // a row (the row total comes last): pick the first overdue
                    // range, "N-M" or "Over N", where the holding owes money.
                    const headers = queryAll(
                        `${PIVOT} thead th.o_pivot_header_cell_closed`
                    ).map((th) => th.textContent.trim());
                    const cells = queryAll(`${HOLDING_ROW} td.o_pivot_cell_value`);
                    const index = headers.findIndex(
                        (name, i) =>
                            /^(\d+-\d+|Over \d+)$/.test(name) &&
                            cells[i] &&
                            !cells[i].classList.contains("o_empty")
                    );
                    if (index < 0) {
                        throw new Error(
                            `No overdue bucket of ${HOLDING} in the pivot (columns: ${headers})`
                        );
                    }
                    bucket = headers[index];
                    cells[index].click();
                },
            },
            {
                content: "The drill-down lists the open items of the cell",
                trigger: ".o_list_view .o_data_row",
            },
            {
                content: "An overdue invoice of the holding is listed, due date and days overdue",
                trigger: `.o_list_view .o_data_row:has(td[name=partner_id]:contains('${HOLDING}')):has(td[name=move_name]:contains('INV/'))`,
                run() {
                    const rows = queryAll(".o_list_view .o_data_row");
                    for (const row of rows) {
                        const text = (name) =>
                            row.querySelector(`td[name=${name}]`).textContent.trim();
                        if (!text("partner_id").includes(HOLDING)) {
                            throw new Error(`Item of another customer: ${text("partner_id")}`);
                        }
                        if (text("bucket_id") !== bucket) {
                            throw new Error(`Item of bucket ${text("bucket_id")}, not ${bucket}`);
                        }
                        if (!/\d/.test(text("date_maturity"))) {
                            throw new Error(`No due date for ${text("move_name")}`);
                        }
                        if (!(parseInt(text("days_overdue")) > 0)) {
                            throw new Error(
                                `${text("move_name")} is not overdue: ${text("days_overdue")}`
                            );
                        }
                    }
                },
            },
            {
                content: "Back to the pivot",
                trigger: ".o_breadcrumb .breadcrumb-item:not(.active) a:contains('Aging as of')",
                run: "click",
            },
            {
                content: "The pivot is back",
                trigger: `${HOLDING_ROW} .o_pivot_header_cell_closed:contains('${HOLDING}')`,
            },

            // The XLSX export
            ...openAgingWizard(),
            {
                // The download is opened with browser.open() in a new tab,
                // which the test browser neither follows nor lets download:
                // catch the URL here and fetch it from the page instead.
                content: "Export to XLSX",
                trigger: ".modal footer button[name=action_export_xlsx]",
                run(helpers) {
                    unpatchOpen = patch(browser, {
                        open(url) {
                            downloadUrl = url;
                            return null;
                        },
                    });
                    return helpers.click();
                },
            },
            {
                content: "The XLSX file is downloaded",
                trigger: ".modal footer button[name=action_export_xlsx]:enabled",
                async run() {
                    for (let i = 0; i < 100 && !downloadUrl; i++) {
                        await new Promise((resolve) => setTimeout(resolve, 100));
                    }
                    unpatchOpen();
                    if (!/^\/web\/content\/\d+\?download=true$/.test(downloadUrl || "")) {
                        throw new Error(`Unexpected download URL: ${downloadUrl}`);
                    }
                    const response = await fetch(downloadUrl);
                    const type = response.headers.get("Content-Type") || "";
                    const head = new Uint8Array(await response.arrayBuffer()).slice(0, 2);
                    if (
                        response.status !== 200 ||
                        !type.startsWith(XLSX_MIMETYPE) ||
                        String.fromCharCode(...head) !== "PK"
                    ) {
                        throw new Error(`Not an XLSX file: ${response.status} ${type}`);
                    }
                },
            },
            {
                content: "No error was shown; close the dialog",
                trigger: ".modal:not(:has(.o_error_dialog)) footer button:contains('Cancel')",
                run: "click",
            },
            {
                content: "The dialog is closed",
                trigger: "body:not(:has(.modal))",
            },
        ];
    },
});
