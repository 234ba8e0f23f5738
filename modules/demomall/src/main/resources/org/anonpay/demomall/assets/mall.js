/* SPDX-License-Identifier: AGPL-3.0-or-later
   The demo malls' own script on the checkout page. The wallet program (anonpay.js, from the wallet
   web) puts the purchase reference into the order form and announces it with the event
   'anonpay:purchase-ref' on the checkout data; the mall then places the order at once. */
(function () {
  'use strict';
  var checkout = document.getElementById('anonpay-checkout');
  var form = document.getElementById('order-form');
  if (checkout && form) {
    checkout.addEventListener('anonpay:purchase-ref', function (event) {
      var input = form.querySelector('input[name="anonpayPurchaseRef"]');
      var ref = event.detail && event.detail.purchaseRef;
      if (ref && !input.value) input.value = ref;
      if (!input.value || form.dataset.sent) return;
      var submit = document.getElementById('wallet-submit');
      submit.disabled = false;
      document.getElementById('wallet-ready').hidden = false;
      form.dataset.sent = '1';
      if (form.requestSubmit) form.requestSubmit(submit); else form.submit();
    });
  }
  // one submission per click: a double click does not pay twice (the server refuses it anyway)
  document.querySelectorAll('form').forEach(function (f) {
    f.addEventListener('submit', function () {
      f.querySelectorAll('button[type="submit"]').forEach(function (b) { setTimeout(function () { b.disabled = true; }, 0); });
    });
  });
})();
