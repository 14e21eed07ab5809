import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { PhoneField } from "@web/views/fields/phone/phone_field";

/**
 * Click-to-dial: asks the PBX to ring the user's extension, then connect it
 * to the number (``crm.pbx.call.action_dial``). Shown to telephony agents
 * only; server errors (no extension, PBX unreachable) show as usual.
 */
export class PbxDialButton extends Component {
    static template = "crm_pbx.DialButton";
    static props = {
        number: { type: String, optional: true },
        showLabel: { type: Boolean, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ dialing: false });
        this.title = _t("Dial through the company's telephone exchange");
        onWillStart(async () => {
            this.isAgent = await user.hasGroup("crm_pbx.group_pbx_agent");
        });
    }

    async onClick() {
        if (this.state.dialing) {
            return;
        }
        this.state.dialing = true;
        try {
            const action = await this.orm.call("crm.pbx.call", "action_dial", [this.props.number]);
            await this.action.doAction(action);
        } finally {
            this.state.dialing = false;
        }
    }
}

patch(PhoneField, {
    components: { ...PhoneField.components, PbxDialButton },
});
