/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Card application (Fig. 3): card name, PIN twice, statements by e-mail, plastic card and where to. */
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  const A = Anonpay;
  const form = document.getElementById('apply-form');
  const name = document.getElementById('apply-cardName');
  const count = document.getElementById('apply-cardName-count');
  const delivery = document.getElementById('apply-delivery');
  let issued = null;

  name.addEventListener('input', function () { count.textContent = String(Array.from(name.value).length); });
  form.querySelectorAll('input[name="physicalCard"]').forEach(function (r) {
    r.addEventListener('change', function () {
      delivery.hidden = !document.getElementById('apply-physical-yes').checked;
    });
  });

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    const button = document.getElementById('apply-submit');
    button.disabled = true;
    try {
      const v = A.formValues(form);
      const physical = v.physicalCard === 'true';
      const body = {
        cardName: v.cardName, pin: v.pin, pinConfirm: v.pinConfirm,
        emailStatements: v.emailStatements === 'true', physicalCard: physical
      };
      if (physical) {
        body.delivery = v.delivery;
        body.deliveryAddress = v.deliveryAddress;
      }
      const r = await A.api('POST', '/api/v1/cards', body);
      if (r.ok) {
        issued = r.data;
        form.reset();
        form.hidden = true;
        show();
        return;
      }
      A.showErrors(form, r.errors);
    } finally {
      button.disabled = false;
    }
  });

  function show() {
    document.getElementById('apply-result-name').textContent = issued.cardName;
    document.getElementById('apply-result-pan').textContent = issued.maskedPan;
    document.getElementById('apply-result-expiry').textContent = issued.expiry;
    const p = issued.physicalCard;
    const physical = document.getElementById('apply-result-physical');
    physical.textContent = p ? A.label('physical.', p.state) + ' · ' + A.label('delivery.', p.delivery) : A.t('physical.none');
    physical.dataset.state = p ? p.state : 'NONE';
    document.getElementById('apply-to-topup').href = '/topup?card=' + issued.cardId;
    document.getElementById('apply-result').hidden = false;
  }
  A.onLang(function () { if (issued) show(); });
});
