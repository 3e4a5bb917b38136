// The SPARQL editor: YASGUI on this host's endpoint, with the canned queries as example tabs.
const endpoint = new URL("/sparql", window.location.href).href;
const examples = JSON.parse(document.getElementById("examples").textContent);

const yasgui = new window.Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint, method: "POST" },
  copyEndpointOnNewTab: false,
  persistenceId: "compass-graph",
});

// A query in the address (?query=...) opens in its own tab; the examples follow it.
const current = yasgui.getTab();
for (const example of examples) {
  yasgui.addTab(false, {
    name: example.name,
    yasqe: { value: example.query },
    requestConfig: { endpoint },
  }, { avoidDuplicateTabs: true });
}
if (current) {
  yasgui.selectTabId(current.getId());
}
