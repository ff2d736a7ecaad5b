/**
 * The widget's style, inside its shadow root: the host page's CSS cannot reach in, and this cannot
 * leak out. Colours come from custom properties a partner may set (attributes or its own CSS).
 */
export const WIDGET_CSS = `
:host { display: block; font: 1rem/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--pas-text, #1b1b1b); background: var(--pas-background, #fff); contain: content; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
form { display: grid; grid-template-columns: 1fr auto; gap: .35rem .5rem; }
label { grid-column: 1 / -1; font-weight: 600; }
input { font: inherit; color: inherit; background: #fff; padding: .45rem .6rem; border: 1px solid #6b6b6b; border-radius: 4px; width: 100%; }
button { font: inherit; font-weight: 600; cursor: pointer; border-radius: 4px; padding: .45rem 1rem; border: 2px solid var(--pas-accent, #00575e); background: var(--pas-accent, #00575e); color: #fff; }
button.chip { font-weight: 400; padding: .15rem .6rem; background: #fff; color: var(--pas-accent, #00575e); border-width: 1px; }
button.chip[aria-pressed='true'] { background: var(--pas-accent, #00575e); color: #fff; }
button.more { background: #fff; color: var(--pas-accent, #00575e); margin-top: .5rem; }
:focus-visible { outline: 3px solid var(--pas-focus, #b34700); outline-offset: 2px; }
a { color: var(--pas-accent, #00575e); }
.combo { position: relative; }
.combo-list { position: absolute; z-index: 5; left: 0; right: 0; margin: 2px 0 0; padding: .25rem 0; list-style: none; background: #fff; color: #1b1b1b; border: 1px solid #6b6b6b; border-radius: 4px; max-height: 16rem; overflow: auto; }
.combo-list li { padding: .35rem .6rem; cursor: pointer; }
.combo-list li[aria-selected='true'], .combo-list li:hover { background: var(--pas-accent, #00575e); color: #fff; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.facets { display: flex; flex-wrap: wrap; gap: .3rem; margin: .6rem 0 0; }
.status, .scope { color: var(--pas-muted, #4b4b4b); font-size: .9rem; margin: .5rem 0 0; }
ol { list-style: none; margin: .5rem 0 0; padding: 0; }
li.hit { padding: .6rem 0; border-bottom: 1px solid #d5d5d5; }
li.hit a { font-weight: 600; }
li.promoted { border-left: 3px solid var(--pas-accent, #00575e); padding-left: .5rem; }
.meta { color: var(--pas-muted, #4b4b4b); font-size: .85rem; margin: .1rem 0; }
.snippet { margin: .2rem 0 0; font-size: .95rem; }
mark { background: #fff0a6; color: inherit; }
.full { display: inline-block; margin-top: .6rem; }
`;
