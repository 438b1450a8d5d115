// The implicit grant, done carefully: a CSPRNG state checked on return, the fragment parsed with URLSearchParams and
// removed from the address bar, the token kept out of URLs and logs and sent only as "Authorization: Bearer".
'use strict';

const TOKEN_KEY = 'joinme.sample.token';
const STATE_KEY = 'joinme.sample.state';

const calls = [
  { id: 'ping', method: 'GET', path: '/api/ping', needs: 'nothing' },
  { id: 'me', method: 'GET', path: '/api/me', needs: 'any valid token' },
  { id: 'user', method: 'GET', path: '/api/user', needs: 'user_info' },
  { id: 'meetings', method: 'GET', path: '/api/meetings', needs: 'scheduler' },
  { id: 'start', method: 'POST', path: '/api/meetings/start', needs: 'start_meeting' },
];

const $ = (id) => document.getElementById(id);

function randomState() {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function callbackUrl(config) {
  return config.redirectUri || location.origin + '/';
}

function showStatus(text, isError) {
  const status = $('status');
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function signIn(config) {
  const scopes = [...document.querySelectorAll('#scopes input:checked')].map((box) => box.value);
  if (scopes.length === 0) {
    showStatus('Choose at least one scope.', true);
    return;
  }

  const state = randomState();
  sessionStorage.setItem(STATE_KEY, state);
  const url = new URL(config.authorizeEndpoint, location.origin);
  url.search = new URLSearchParams({
    response_type: 'token',
    client_id: config.clientId,
    scope: scopes.join(' '),
    redirect_uri: callbackUrl(config),
    state,
  }).toString();
  location.assign(url.toString());
}

// Reads the authorize endpoint's answer from the fragment, once, and wipes it from the address bar and history.
// Returns what the page made of it ('none', 'ignored', 'error' or 'token'); main() publishes it as body[data-answer].
function readFragment() {
  if (location.hash.length <= 1) {
    return 'none';
  }

  const fragment = new URLSearchParams(location.hash.substring(1));
  history.replaceState(null, '', location.pathname + location.search);

  const expectedState = sessionStorage.getItem(STATE_KEY);
  sessionStorage.removeItem(STATE_KEY);
  if (!expectedState || fragment.get('state') !== expectedState) {
    showStatus('The answer from join.me did not carry the state this page sent, so it was ignored. Please sign in again.', true);
    return 'ignored';
  }

  const error = fragment.get('error');
  if (error) {
    showStatus(error === 'access_denied'
      ? 'You declined the join.me permission request (access_denied). Sign in again to grant it.'
      : `join.me answered with an error: ${error}.`, true);
    return 'error';
  }

  const token = fragment.get('access_token');
  if (!token) {
    showStatus('join.me\'s answer carried no access token.', true);
    return 'error';
  }

  sessionStorage.setItem(TOKEN_KEY, token);
  showStatus('Signed in. The token is kept in this tab only.');
  return 'token';
}

async function callApi(call) {
  const headers = {};
  const token = storedToken();
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }

  const statusCell = $(`status-${call.id}`);
  const answerCell = $(`answer-${call.id}`);
  statusCell.textContent = '…';
  delete statusCell.dataset.status; // set again when this call's answer is in
  let response;
  try {
    response = await fetch(call.path, { method: call.method, headers });
  } catch {
    statusCell.textContent = 'network error';
    statusCell.dataset.status = '0';
    return;
  }

  statusCell.textContent = String(response.status);
  statusCell.dataset.status = String(response.status);
  statusCell.className = 'status ' + (response.ok ? 'ok' : response.status === 503 ? 'unavailable' : 'denied');
  const challenge = response.headers.get('WWW-Authenticate');
  const body = await response.text();
  answerCell.querySelector('pre').textContent = [challenge ? `WWW-Authenticate: ${challenge}` : '', body].filter(Boolean).join('\n');

  if (response.status === 401 && token) {
    showStatus('The API no longer accepts your token (it expired or was revoked). Please sign in again.', true);
  }

  return { response, body };
}

async function showToken() {
  const token = storedToken();
  $('signout').hidden = !token;
  if (!token) {
    $('granted-scopes').textContent = 'not signed in';
    $('expires').textContent = '—';
    return;
  }

  const result = await callApi(calls[1]);
  if (result && result.response.ok) {
    const me = JSON.parse(result.body);
    $('granted-scopes').textContent = me.scopes.length ? me.scopes.join(' ') : '(none)';
    $('expires').textContent = me.expires_at ? new Date(me.expires_at).toLocaleString() : 'not given';
  }
}

function renderScopes(config) {
  const fieldset = $('scopes');
  for (const scope of config.scopes) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = scope;
    box.id = `scope-${scope}`;
    box.checked = scope !== 'provisioning';
    label.append(box, ' ', scope);
    fieldset.append(label);
  }
}

function renderCalls() {
  const body = $('calls');
  for (const call of calls) {
    const row = document.createElement('tr');
    row.innerHTML = `<td><code>${call.method} ${call.path}</code></td><td>${call.needs}</td>` +
      `<td><button type="button" class="secondary" id="call-${call.id}">Call</button></td>` +
      `<td class="status" id="status-${call.id}"></td><td id="answer-${call.id}"><pre></pre></td>`;
    body.append(row);
    row.querySelector('button').addEventListener('click', () => callApi(call));
  }
}

// Signs out: the API revokes the token on every instance at once (join.me itself takes up to 10 minutes), then the page forgets it.
// The page says when it is done with body[data-signed-out].
async function signOut() {
  const token = storedToken();
  let status = 0;
  if (token) {
    try {
      status = (await fetch('/api/signout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).status;
    } catch {
      status = 0;
    }
  }

  sessionStorage.removeItem(TOKEN_KEY);
  showStatus(status === 204
    ? 'Signed out: the API no longer accepts that token, and this tab has forgotten it.'
    : 'This tab has forgotten the token; the API could not be told (it will expire by itself).', status !== 204);
  await showToken();
  document.body.dataset.signedOut = String(status);
}

async function main() {
  const answer = readFragment();
  const config = await (await fetch('/sample-config')).json();
  $('mode').textContent = config.emulator
    ? `Signing in against the built-in join.me emulator, as client "${config.clientId}".`
    : `Signing in against join.me, as client "${config.clientId}".`;
  renderScopes(config);
  renderCalls();
  $('signin').addEventListener('click', () => signIn(config));
  const callback = new URL(callbackUrl(config), location.origin);
  if (callback.origin !== location.origin) {
    // join.me sends the token back to the registered Callback URL only; this page's state lives at that origin.
    $('signin').disabled = true;
    showStatus(`Open ${callback.href} to sign in: the app's Callback URL is registered for that address.`, true);
  }
  $('signout').addEventListener('click', () => signOut());
  await showToken();
  // Tests (and anything else) wait on these, not on the address bar, which readFragment rewrites.
  document.body.dataset.answer = answer;
  document.body.dataset.ready = 'true';
}

main();
