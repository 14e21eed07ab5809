import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { deserializeDateTime } from "@web/core/l10n/dates";

/** Calls in progress across the firm, kept current by the bus. */
export class LiveBoard extends Component {
    static template = "crm_pbx.LiveBoard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.busService = useService("bus_service");
        this.state = useState({ calls: [], now: luxon.DateTime.now() });
        this.onCallUpdate = () => this.load();
        onWillStart(() => this.load());
        this.busService.subscribe("crm_pbx/call", this.onCallUpdate);
        this.timer = setInterval(() => (this.state.now = luxon.DateTime.now()), 1000);
        onWillUnmount(() => {
            this.busService.unsubscribe("crm_pbx/call", this.onCallUpdate);
            clearInterval(this.timer);
        });
    }

    async load() {
        this.state.calls = await this.orm.call("crm.pbx.call", "get_live_calls", []);
    }

    duration(call) {
        const since = deserializeDateTime(call.date_answer || call.date_start);
        const seconds = Math.max(0, Math.floor(this.state.now.diff(since, "seconds").seconds));
        const minutes = Math.floor(seconds / 60);
        return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
    }

    openCall(call) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "crm.pbx.call",
            res_id: call.id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("crm_pbx.live_board", LiveBoard);
