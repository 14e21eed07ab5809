import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Created by tests/test_ui.py: the PBX posts its events with this token;
// the caller's mobile is known, extension 101 belongs to the tour's agent.
const PBX_NAME = "Tour PBX";
const PBX_TOKEN = "crm-pbx-tour-token";
const CALL_ID = "tour-call-1";
const OTHER_CALL_ID = "tour-call-2";
const CALLER = "Anna Nowak";
const COMPANY = "Tour Hydro-Tech";
const NOTE = "Wants a quote for two pumps";

const BOARD = ".o_action_manager .o_crm_pbx_live_board";
const ROW = `${BOARD} .o_crm_pbx_live_call[data-call-id]`;
const POPUP = ".o_notification.o_crm_pbx_ringing";

/** POST one event to the PBX's API, as the exchange does (not as the user). */
async function postEvent(name, values = {}, callId = CALL_ID) {
    const [pbx] = await rpc("/web/dataset/call_kw/crm.pbx/search_read", {
        model: "crm.pbx",
        method: "search_read",
        args: [[["name", "=", PBX_NAME]], ["id"]],
        kwargs: {},
    });
    const response = await fetch(`/crm_pbx/${pbx.id}/events`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${PBX_TOKEN}` },
        body: JSON.stringify({
            event: name,
            call_id: callId,
            timestamp: Math.floor(Date.now() / 1000),
            ...values,
        }),
    });
    if (!response.ok) {
        throw new Error(`The PBX API refused the ${name} event: ${await response.text()}`);
    }
}

/** A page loaded again would lose this mark: the board must change live. */
function checkNotReloaded() {
    if (window.crmPbxTourPage !== "still the same page") {
        throw new Error("The page was reloaded: the board did not update live.");
    }
}

registry.category("web_tour.tours").add("crm_pbx_live_board_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm_pbx.menu_crm_pbx_root", "Open Telephony"),
        {
            content: "Telephony opens on the live board, empty",
            trigger: `${BOARD} .o_crm_pbx_no_calls`,
            run() {
                window.crmPbxTourPage = "still the same page";
            },
        },
        {
            content: "The PBX reports a call ringing at extension 101",
            trigger: `${BOARD} .o_crm_pbx_no_calls`,
            run: () =>
                postEvent("ringing", {
                    direction: "inbound",
                    caller: "+48 601 234 567",
                    called: "+48 22 111 22 33",
                    extension: "101",
                }),
        },
        {
            content: "The call appears, ringing, with the identified caller",
            trigger: `${ROW}.o_crm_pbx_state_ringing .o_crm_pbx_caller a:contains('${CALLER}')`,
            run: checkNotReloaded,
        },
        {
            content: "Its duration runs",
            trigger: `${ROW} .o_crm_pbx_duration:contains(':')`,
        },
        {
            content: "The agent gets the caller's card",
            trigger: `${POPUP}:contains('Incoming call'):contains('${CALLER}'):contains('${COMPANY}'):contains('Open opportunities: 1')`,
        },
        {
            content: "The agent answers",
            trigger: `${ROW}.o_crm_pbx_state_ringing`,
            run: () => postEvent("answered", { extension: "101" }),
        },
        {
            content: "The call is now talking",
            trigger: `${ROW}.o_crm_pbx_state_talking .o_crm_pbx_state:contains('Talking')`,
            run: checkNotReloaded,
        },
        {
            content: "Meanwhile an unknown number rings at another extension",
            trigger: `${ROW}.o_crm_pbx_state_talking`,
            run: () =>
                postEvent(
                    "ringing",
                    { direction: "inbound", caller: "+48 501 000 999", extension: "102" },
                    OTHER_CALL_ID
                ),
        },
        {
            content: "The board shows both calls, the new one from an unknown caller",
            trigger: `${ROW}.o_crm_pbx_state_ringing:contains('Unknown caller'):contains('+48 501 000 999')`,
            run: checkNotReloaded,
        },
        {
            content: "The talking call is still there",
            trigger: `${ROW}.o_crm_pbx_state_talking:contains('${CALLER}')`,
        },
        {
            content: "Log a note from the caller's card",
            trigger: `${POPUP} button:contains('Log a note')`,
            run: "click",
        },
        {
            content: "Write what the call is about",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: `edit ${NOTE}`,
        },
        {
            content: "Log the note",
            trigger: ".modal button[name=action_save_note]",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The caller hangs up",
            trigger: `${ROW}.o_crm_pbx_state_talking`,
            run: () => postEvent("hangup", { extension: "101" }),
        },
        {
            content: "The unknown caller hangs up",
            trigger: `${BOARD}:not(:has(.o_crm_pbx_state_talking))`,
            run: () => postEvent("hangup", {}, OTHER_CALL_ID),
        },
        {
            content: "The board is empty again",
            trigger: `${BOARD} .o_crm_pbx_no_calls`,
            run: checkNotReloaded,
        },
        {
            content: "Open the caller's card",
            trigger: `${POPUP} button:contains('Open card')`,
            run: "click",
        },
        {
            content: "The contact's form opens",
            trigger: `.o_form_view .o_field_widget[name=name] input:value('${CALLER}')`,
        },
    ],
});
