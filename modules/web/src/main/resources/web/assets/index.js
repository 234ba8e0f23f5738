/* SPDX-License-Identifier: AGPL-3.0-or-later */
'use strict';
document.addEventListener('DOMContentLoaded', async function () {
  // a member who is still logged in goes straight to the wallet
  const r = await Anonpay.api('GET', '/api/v1/session');
  if (r.ok) location.replace('/wallet');
});
