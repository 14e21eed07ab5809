import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const STATE_BADGES = {
    ringing: { color: "warning", icon: "fa-bell" },
    talking: { color: "success", icon: "fa-phone" },
    on_hold: { color: "info", icon: "fa-pause" },
};
const DIRECTION_ICONS = {
    inbound: "fa-arrow-down",
    outbound: "fa-arrow-up",
    internal: "fa-exchange",
};

/**
 * Calls in progress across the firm (Telephony > Live calls).
 *
 * The server sends a ``crm_pbx/call`` notification to the agents' group on
 * every change of a call; the board then reads the calls in progress again.
 * A clock ticking every second keeps the durations running between changes.
 */
export class LiveBoard extends Component {
    static template = "crm_pbx.LiveBoard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.busService = useService("bus_service");
        this.state = useState({ calls: [], loaded: false, now: luxon.DateTime.now() });
        this.display = { controlPanel: {} };
        this.loading = null;
        this.reloadAgain = false;

        this.onCallUpdate = () => this.load();
        this.busService.subscribe("crm_pbx/call", this.onCallUpdate);
        // notifications may have been missed while the connection was down
        this.busService.addEventListener("reconnect", this.onCallUpdate);
        this.timer = setInterval(() => (this.state.now = luxon.DateTime.now()), 1000);
        onWillStart(() => this.load());
        onWillUnmount(() => {
            this.busService.unsubscribe("crm_pbx/call", this.onCallUpdate);
            this.busService.removeEventListener("reconnect", this.onCallUpdate);
            clearInterval(this.timer);
        });
    }

    /** Read the calls in progress; changes arriving meanwhile read once more. */
    async load() {
        if (this.loading) {
            this.reloadAgain = true;
            return this.loading;
        }
        this.loading = (async () => {
            do {
                this.reloadAgain = false;
                const calls = await this.orm.call("crm.pbx.call", "get_live_calls", []);
                this.state.calls = calls;
                this.state.loaded = true;
            } while (this.reloadAgain);
        })();
        try {
            await this.loading;
        } finally {
            this.loading = null;
        }
    }

    get counts() {
        const counts = { ringing: 0, talking: 0, on_hold: 0 };
        for (const call of this.state.calls) {
            counts[call.state] = (counts[call.state] || 0) + 1;
        }
        return counts;
    }

    get hasQueues() {
        return this.state.calls.some((call) => call.queue);
    }

    badge(call) {
        return STATE_BADGES[call.state] || { color: "secondary", icon: "fa-phone" };
    }

    directionIcon(call) {
        return DIRECTION_ICONS[call.direction] || "fa-phone";
    }

    /** Time ringing, or time talking once answered, as m:ss (h:mm:ss). */
    duration(call) {
        const since = deserializeDateTime(call.date_answer || call.date_start);
        const seconds = Math.max(0, Math.floor(this.state.now.diff(since, "seconds").seconds));
        const hours = Math.floor(seconds / 3600);
        const minutes = Math.floor((seconds % 3600) / 60);
        const rest = String(seconds % 60).padStart(2, "0");
        return hours
            ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}`
            : `${minutes}:${rest}`;
    }

    openCall(call) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "crm.pbx.call",
            res_id: call.id,
            views: [[false, "form"]],
        });
    }

    openPartner(call) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: call.partner_id,
            views: [[false, "form"]],
        });
    }

    openHistory() {
        this.action.doAction("crm_pbx.crm_pbx_call_action");
    }
}

registry.category("actions").add("crm_pbx.live_board", LiveBoard);
