// generate.js rewrites copies.json and escapes.json from the DevTools code
// of the browsers installed here (no network):
//
//   node generate.js CHROME_NETWORK_JS FIREFOX_DEVTOOLS_DIR WEBKIT_MAIN_JS
//
// CHROME_NETWORK_JS: the DevTools network panel bundle, a resource of
// /usr/lib/chromium/resources.pak (brotli, after an 8-byte header) that
// holds "static async generateCurlCommand". FIREFOX_DEVTOOLS_DIR:
// chrome/devtools/modules/devtools/client unzipped from Firefox's omni.ja.
// WEBKIT_MAIN_JS: `gresource extract libwebkit2gtk-4.1.so
// /org/webkit/inspector/UserInterface/Main.js`. The requests are those of
// copies.json; the values those of escapes.json.
const fs = require('fs');
const [chromeFile, ffDir, webkitFile] = process.argv.slice(2);

function between(src, start, end) {
  const i = src.indexOf(start);
  const j = src.indexOf(end, i);
  if (i < 0 || j < 0) throw new Error(`cannot find ${start} … ${end}`);
  return src.slice(i, j);
}
// methodsOf makes an object of class methods cut from a bundle.
function methodsOf(text, names, values) {
  return new Function(...names, `return new (class {${text}})()`)(...values);
}

// Chrome: NetworkLogView's copy methods, with the few names they use.
const chrome = fs.readFileSync(chromeFile, 'utf8');
const schemes = new Set(['http:', 'https:', 'ws:', 'wss:', 'data:']);
const forbidden = new Set(['accept-charset', 'accept-encoding', 'access-control-request-headers',
  'access-control-request-method', 'connection', 'content-length', 'cookie', 'date', 'dnt', 'expect',
  'host', 'keep-alive', 'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding',
  'upgrade', 'via']);
const chromeNames = ['__url', 'b', 'v', 'Dt', 'on', 'nn', 'i'];
const chromeValues = [
  u => { try { return schemes.has(new URL(u).protocol) ? u : null; } catch { return null; } },
  () => 'unsupported', {}, {SecurityState: {Insecure: 'insecure'}},
  n => forbidden.has(n.toLowerCase()) || /^(proxy|sec)-/i.test(n), s => s,
  {}, // i, the class: i.generateCurlCommand in generateAllCurlCommand
];
const cm = methodsOf(
    between(chrome, 'static async generateCurlCommand(e,t){', 'static getDCLEventColor')
        .replace(/^static /, '').replace(/i\.#i\(/g, '__url('),
    chromeNames, chromeValues);
chromeValues.at(-1).generateCurlCommand = (...a) => cm.generateCurlCommand(...a);
const cf = methodsOf(
    between(chrome, 'async generateFetchCall(e,t,r){', 'async generateCurlCommand').replace(/i\.#i\(/g, '__url(') +
        'filterOutBlobRequests(x){return x}',
    chromeNames, chromeValues);
cm.filterOutBlobRequests = x => x;
const chromeRequest = r => ({
  url: () => r.url, requestMethod: r.method, requestFormData: async () => r.body || null,
  requestHeaders: () => r.headers.map(([name, value]) => ({name, value})),
  securityState: () => 'secure',
  includedRequestCookies: () => (r.cookies || []).map(([n, v, d]) =>
    ({cookie: {name: () => n, value: () => v, domain: () => d}})),
});

// Firefox: shared/curl.js, netmonitor's powershell.js and generateFetchString.
function ffModule(path) {
  const exports = {};
  new Function('exports', 'require', 'Services', fs.readFileSync(`${ffDir}/${path}`, 'utf8'))(
      exports, () => ({}), {appinfo: {OS: 'Linux'}});
  return exports;
}
const {Curl, CurlUtils} = ffModule('shared/curl.js');
const {PowerShell} = ffModule('netmonitor/src/utils/powershell.js');
const ffFetch = methodsOf(between(fs.readFileSync(`${ffDir}/netmonitor/src/widgets/RequestListContextMenu.js`, 'utf8'),
    'async generateFetchString(', 'async copyAsFetch('), [], []);
const ffData = r => ({url: r.url, method: r.method, headers: r.headers.map(([name, value]) => ({name, value})),
  responseHeaders: [], httpVersion: 'HTTP/1.1', postDataText: r.body || ''});

// Safari: WI.Resource's generateFetchCode and generateCURLCommand.
const webkit = fs.readFileSync(webkitFile, 'utf8');
const Resource = new Function('WI', 'isEmptyObject',
    `return class {${between(webkit, 'generateFetchCode()\n', 'stringifyHTTPRequest()\n')}}`)(
    {HTTPUtilities: {RequestMethod: {GET: 'GET'}}, indentString: () => '    '}, o => !Object.keys(o).length);
String.prototype.extendedLocaleCompare = function(b) { return this.localeCompare(b); };
function safariResource(r) {
  const h = {};
  for (const [n, v] of r.headers) h[n] = v;
  Object.defineProperty(h, 'valueForCaseInsensitiveKey', {
    value: k => Object.entries(h).find(([n]) => n.toLowerCase() === k.toLowerCase())?.[1]});
  const type = r.headers.find(([n]) => n.toLowerCase() === 'content-type');
  return Object.assign(new Resource(), {url: r.url, requestMethod: r.method, requestHeaders: h,
    _requestHeaders: h, requestData: r.body || null, requestDataContentType: type?.[1] ?? null, requestCookies: []});
}

(async () => {
  const copiesFile = `${__dirname}/copies.json`;
  const fixtures = JSON.parse(fs.readFileSync(copiesFile, 'utf8'));
  const copies = [];
  for (const r of fixtures.requests) {
    const add = (browser, form, copy) => copies.push({name: r.name, browser, form, copy});
    add('chrome', 'bash', await cm.generateCurlCommand(chromeRequest(r), 'unix'));
    add('chrome', 'cmd', await cm.generateCurlCommand(chromeRequest(r), 'win'));
    add('chrome', 'powershell', await cm.generatePowerShellCommand(chromeRequest(r)));
    add('chrome', 'fetch', await cf.generateFetchCall(chromeRequest(r), 0));
    add('chrome', 'fetch-node', await cf.generateFetchCall(chromeRequest(r), 1));
    add('firefox', 'posix', Curl.generateCommand(ffData(r), 'Linux'));
    add('firefox', 'windows', Curl.generateCommand(ffData(r), 'WINNT'));
    add('firefox', 'powershell', PowerShell.generateCommand(r.url, r.method, ffData(r).headers, {text: r.body || ''},
        (r.cookies || []).map(([name, value, domain]) => ({name, value, domain}))));
    add('firefox', 'fetch', await ffFetch.generateFetchString(1, r.url, r.method, {headers: ffData(r).headers},
        {postData: {text: r.body || ''}}));
    add('safari', 'curl', safariResource(r).generateCURLCommand());
    add('safari', 'fetch', safariResource(r).generateFetchCode());
  }
  const all = ['newlines', 'percent-variables', 'caret-quote'];
  const allRequests = all.map(n => chromeRequest(fixtures.requests.find(r => r.name === n)));
  for (const [form, platform] of [['bash-all', 'unix'], ['cmd-all', 'win']]) {
    copies.push({name: all.join('+'), browser: 'chrome', form,
      copy: await cm.generateAllCurlCommand(allRequests, platform)});
  }
  fixtures.copies = copies;
  fs.writeFileSync(copiesFile, JSON.stringify(fixtures, null, 1) + '\n');

  const escapesFile = `${__dirname}/escapes.json`;
  const chromeWin = new Function('return ' +
      chrome.match(/function n\(u\)\{return'\^"'\+u\.replace.*?\+'\^"'\}/s)[0].replace('function n', 'function'))();
  const chromePosix = new Function('return ' +
      chrome.match(/function s\(u\)\{function m\(w\)\{.*?"'"\+u\+"'"\}/)[0].replace('function s', 'function'))();
  const safariPosix = new Function('return ' +
      webkit.match(/function escapeStringPosix\(str\)\{.*?return`'\$\{str\}'`;\}/s)[0])();
  const escapes = JSON.parse(fs.readFileSync(escapesFile, 'utf8')).map(({value: v}) => ({value: v,
    chromeCmd: chromeWin(v), chromeBash: chromePosix(v), firefoxWindows: CurlUtils.escapeStringWin(v),
    firefoxPOSIX: CurlUtils.escapeStringPosix(v), safari: safariPosix(v)}));
  fs.writeFileSync(escapesFile, JSON.stringify(escapes, null, 1) + '\n');
})();
