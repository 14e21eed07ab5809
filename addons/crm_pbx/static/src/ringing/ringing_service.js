import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { renderToMarkup } from "@web/core/utils/render";

/**
 * The caller's card, in a sticky notification, for the agent whose
 * extension rings: the server sends ``crm_pbx/ringing`` to the agent's
 * partner with what the call knows (``call_id``, ``number``, ``partner_id``,
 * ``name``); the card itself is asked for here, as the agent, with
 * ``crm.pbx.call.get_caller_card`` (the PBX's request does not wait for it).
 */
export const crmPbxRingingService = {
    dependencies: ["action", "bus_service", "notification", "orm"],

    start(env, { action, bus_service: busService, notification, orm }) {
        // call id -> close function: a call ringing again replaces its card
        const openCards = new Map();

        function openCard(card) {
            if (card.partner_id) {
                return action.doAction({
                    type: "ir.actions.act_window",
                    res_model: "res.partner",
                    res_id: card.partner_id,
                    views: [[false, "form"]],
                });
            }
            return openCall(card);
        }

        function openCall(card) {
            return action.doAction({
                type: "ir.actions.act_window",
                res_model: "crm.pbx.call",
                res_id: card.call_id,
                views: [[false, "form"]],
            });
        }

        function logNote(card) {
            return action.doAction({
                type: "ir.actions.act_window",
                name: _t("Log a note"),
                res_model: "crm.pbx.call",
                res_id: card.call_id,
                views: [[false, "form"]],
                target: "new",
                context: { form_view_ref: "crm_pbx.crm_pbx_call_view_form_note" },
            });
        }

        function showCard(card) {
            openCards.get(card.call_id)?.();
            const close = notification.add(
                renderToMarkup("crm_pbx.CallerCard", { card }),
                {
                    title: _t("Incoming call"),
                    type: "info",
                    sticky: true,
                    className: "o_crm_pbx_ringing",
                    onClose: () => openCards.delete(card.call_id),
                    buttons: [
                        {
                            name: card.partner_id ? _t("Open card") : _t("Open call"),
                            icon: card.partner_id ? "fa-address-card-o" : "fa-phone",
                            primary: true,
                            onClick: () => {
                                close();
                                openCard(card);
                            },
                        },
                        {
                            name: _t("Log a note"),
                            icon: "fa-pencil",
                            onClick: () => logNote(card),
                        },
                    ],
                }
            );
            openCards.set(card.call_id, close);
        }

        async function onRinging(ringing) {
            let card;
            try {
                card = await orm.silent.call("crm.pbx.call", "get_caller_card", [
                    ringing.call_id,
                ]);
            } catch {
                // the call's own data is enough to answer it
                card = { company: "", facts: [], ...ringing };
            }
            showCard(card);
        }

        busService.subscribe("crm_pbx/ringing", onRinging);
        busService.start();
        return { showCard };
    },
};

registry.category("services").add("crm_pbx_ringing", crmPbxRingingService);
