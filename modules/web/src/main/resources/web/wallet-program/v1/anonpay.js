/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* anonpay wallet program v1 (docs/wallet-program.md). A partner mall's page includes this one file
   from the wallet web, pinned with Subresource Integrity:
     <script src="{WALLET_ORIGIN}/wallet-program/v1/anonpay.js" integrity="sha384-..." crossorigin="anonymous"></script>
   It runs in the mall's page, so it holds no secret and sees no password: the member logs in and
   chooses a card in a pop-up on the wallet's own origin ({WALLET_ORIGIN}/pay). This script only
   reads its own data-anonpay-* markup, talks to that pop-up by postMessage (origin and type
   checked both ways) and hands the page back an opaque purchase reference, or, for auto-fill
   and only when the member presses "fill" in the pop-up, the card data for the marked inputs. */
(function () {
  'use strict';
  if (window.AnonpayWalletProgram) return; // included twice: one is enough

  var script = document.currentScript;
  if (!script || !script.src) return;
  var WALLET_ORIGIN = new URL(script.src).origin;
  var POPUP_NAME = 'anonpay-wallet';
  var POPUP_FEATURES = 'popup=yes,width=480,height=760,resizable=yes,scrollbars=yes';
  var PURCHASE_REF = /^pur_[a-z2-7]{26}$/;

  /** The flow in progress: {kind: 'purchase'|'autofill', popup, target (element), request (message), done}. */
  var current = null;
  var watch = null;

  function fire(target, type, detail) {
    if (!target) return;
    target.dispatchEvent(new CustomEvent(type, { bubbles: true, detail: detail || {} }));
  }

  function attr(element, name) {
    var v = element.getAttribute(name);
    return v === null ? null : v.trim();
  }

  /** "12000" as a number, anything else as it is: the wallet names the field that is wrong. */
  function integer(value) {
    return value !== null && /^[0-9]{1,15}$/.test(value) ? Number(value) : value;
  }

  /** The purchase data of the checkout element (b4): its own data-anonpay-* attributes and its items. */
  function purchaseOf(checkout) {
    var goods = [];
    var items = checkout.querySelectorAll('[data-anonpay-item]');
    for (var i = 0; i < items.length; i++) {
      goods.push({
        name: attr(items[i], 'data-name'),
        quantity: integer(attr(items[i], 'data-quantity')),
        unitPrice: integer(attr(items[i], 'data-unit-price'))
      });
    }
    return {
      mallId: attr(checkout, 'data-anonpay-mall-id'),
      customerRef: attr(checkout, 'data-anonpay-customer-ref'),
      orderId: attr(checkout, 'data-anonpay-order-id'),
      goods: goods,
      total: integer(attr(checkout, 'data-anonpay-total')),
      currency: attr(checkout, 'data-anonpay-currency')
    };
  }

  function select(selector, button) {
    var found = null;
    try { found = selector ? document.querySelector(selector) : null; } catch (e) { found = null; }
    if (!found) fire(button, 'anonpay:error', { code: 'TARGET_NOT_FOUND', selector: selector });
    return found;
  }

  function open(kind, target, request, path) {
    finish(null); // a new click replaces a flow still open
    var popup = window.open(WALLET_ORIGIN + path, POPUP_NAME, POPUP_FEATURES);
    if (!popup) {
      fire(target, 'anonpay:error', { code: 'POPUP_BLOCKED' });
      return;
    }
    try { popup.focus(); } catch (e) { /* some browsers refuse */ }
    current = { kind: kind, popup: popup, target: target, request: request };
    // the member may close the pop-up instead of pressing cancel
    watch = window.setInterval(function () {
      if (current && current.popup.closed) finish('anonpay:cancelled', { reason: 'closed' });
    }, 500);
  }

  function finish(eventType, detail) {
    if (watch) { window.clearInterval(watch); watch = null; }
    var flow = current;
    current = null;
    if (flow && eventType) fire(flow.target, eventType, detail);
  }

  function pay(button) {
    var checkout = select(attr(button, 'data-anonpay-pay'), button);
    if (!checkout) return;
    open('purchase', checkout, { type: 'anonpay:purchase', purchase: purchaseOf(checkout) }, '/pay');
  }

  function autofill(button) {
    var form = select(attr(button, 'data-anonpay-autofill'), button);
    if (!form) return;
    open('autofill', form, { type: 'anonpay:autofill' }, '/pay?mode=autofill');
  }

  function setValue(input, value) {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /** Fills the inputs of the form marked data-anonpay-field; nothing else (no submit). */
  function fill(form, card) {
    var fields = { number: card.number, expiry: card.expiry, cvv2: card.cvv2, pin: card.pin };
    var inputs = form.querySelectorAll('[data-anonpay-field]');
    for (var i = 0; i < inputs.length; i++) {
      var name = inputs[i].getAttribute('data-anonpay-field');
      if (Object.prototype.hasOwnProperty.call(fields, name) && typeof fields[name] === 'string') setValue(inputs[i], fields[name]);
    }
  }

  window.addEventListener('message', function (event) {
    // only our pop-up on the wallet's origin speaks to us
    if (!current || event.origin !== WALLET_ORIGIN || event.source !== current.popup) return;
    var m = event.data;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
    if (m.type === 'anonpay:ready') {
      current.popup.postMessage(current.request, WALLET_ORIGIN);
    } else if (m.type === 'anonpay:purchase-ref' && current.kind === 'purchase') {
      if (typeof m.purchaseRef !== 'string' || !PURCHASE_REF.test(m.purchaseRef)) return;
      var inputs = document.querySelectorAll('input[name="anonpayPurchaseRef"]');
      for (var i = 0; i < inputs.length; i++) inputs[i].value = m.purchaseRef;
      finish('anonpay:purchase-ref', { purchaseRef: m.purchaseRef });
    } else if (m.type === 'anonpay:card' && current.kind === 'autofill') {
      var form = current.target;
      finish(null);
      fill(form, m);
      fire(form, 'anonpay:filled', {}); // no card data in the event
    } else if (m.type === 'anonpay:cancelled') {
      finish('anonpay:cancelled', { reason: 'cancelled' });
    }
  });

  document.addEventListener('click', function (event) {
    var t = event.target;
    var button = t && t.closest ? t.closest('[data-anonpay-pay],[data-anonpay-autofill]') : null;
    if (!button) return;
    event.preventDefault();
    if (button.hasAttribute('data-anonpay-pay')) pay(button); else autofill(button);
  });

  window.AnonpayWalletProgram = Object.freeze({ version: 1, walletOrigin: WALLET_ORIGIN });
})();
