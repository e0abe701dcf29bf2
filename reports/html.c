/* reports/html.c — report.html: one self-contained page, a ladder per
 * scenario
 *
 * The page carries the report's JSON in a <script type="application/json">
 * block and a small script that draws each ladder as SVG: one column per
 * role, one arrow per message labelled with its step, failing steps red,
 * a failed step that never got its message as a dashed arrow; a click on
 * an arrow shows the whole message. No network resources.
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "wfile.h"
#include "report.h"


/*
 * The report's JSON inside <script>: every "<", ">" and "&" — they occur
 * only inside JSON strings — as a JSON escape (\u003c …), so no text of
 * the JSON, whatever a peer sent, can end the element or open a tag.
 */
static int guard_h(const char *p, size_t size, void *arg)
{
	static const char hex[] = "0123456789abcdef";
	struct wfile *wf = arg;
	size_t i, run = 0;
	int err = 0;

	for (i = 0; i < size && !err; i++) {
		char u[6] = {'\\', 'u', '0', '0', 0, 0};

		if (p[i] != '<' && p[i] != '>' && p[i] != '&') {
			++run;
			continue;
		}
		u[4] = hex[(p[i] >> 4) & 0xf];
		u[5] = hex[p[i] & 0xf];
		err = wfile_write(wf, p + i - run, run);
		if (!err)
			err = wfile_write(wf, u, sizeof(u));
		run = 0;
	}

	return err ? err : wfile_write(wf, p + i - run, run);
}


static const char head[] =
"<!DOCTYPE html>\n"
"<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
"<title>sipflow report</title>\n"
"<style>\n"
"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}\n"
".badge{display:inline-block;padding:0 .5em;border-radius:3px;"
"color:#fff;font-weight:bold}\n"
".pass .badge,.badge.pass{background:#2a7d2a}"
".fail .badge,.badge.fail{background:#c62828}"
".skip .badge{background:#b08900}\n"
"table{border-collapse:collapse;margin:.5em 0}"
"td,th{padding:2px 8px;text-align:left;border-bottom:1px solid #eee}\n"
"tr.fail td{color:#c62828}tr.notrun td,tr.skip td{color:#999}\n"
"svg text{font:12px monospace}\n"
".arrow line{stroke:#333;stroke-width:1.5}"
".arrow text{fill:#333}.arrow{cursor:pointer}\n"
".arrow.fail line{stroke:#c62828}.arrow.fail text{fill:#c62828}\n"
".arrow.missing line{stroke-dasharray:6 4}\n"
".arrow.lost line{stroke-dasharray:2 4}\n"
".arrow.teardown{opacity:.55}\n"
".arrow.other line{stroke:#999}.arrow.other text{fill:#999}\n"
".arrow:hover text{font-weight:bold}\n"
".lane{stroke:#bbb;stroke-dasharray:2 3}\n"
"pre.msg{background:#f6f6f6;border:1px solid #ddd;padding:.6em;"
"white-space:pre-wrap;max-width:70em}\n"
"</style></head><body>\n"
"<h1>sipflow report</h1><div id=\"summary\"></div>"
"<div id=\"scenarios\"></div>\n"
"<script type=\"application/json\" id=\"data\">\n";

static const char tail[] =
"\n</script>\n<script>\n"
"'use strict';\n"
"const NS='http://www.w3.org/2000/svg';\n"
"const data=JSON.parse(document.getElementById('data').textContent);\n"
"function el(tag,attrs,text,ns){const e=ns?document.createElementNS(NS,tag)"
":document.createElement(tag);for(const k in attrs||{})e.setAttribute(k,"
"attrs[k]);if(text!==undefined)e.textContent=text;return e;}\n"
"const t=data.totals;\n"
"document.getElementById('summary').append(el('p',{},"
"`${t.scenarios} scenarios: ${t.passed} passed, ${t.failed} failed`+"
"(t.skipped?`, ${t.skipped} skipped`:'')+"
"(t.not_run?`, ${t.not_run} not run`:'')+` — ${data.started}`+"
"(data.interrupted?' (interrupted)':'')));\n"
"function ladder(sc,box,pre){\n"
" const names=sc.roles.map(r=>r.name);\n"
" for(const m of sc.messages)for(const n of [m.from,m.to])"
"if(!names.includes(n))names.push(n);\n"
" const missing=sc.steps.filter(s=>s.type==='message'&&"
"s.status==='fail'&&!s.frame);\n"
" const rows=sc.messages.length+missing.length;\n"
" const W=170,X0=90,Y0=50,DY=30;\n"
" const svg=el('svg',{width:X0+W*names.length,height:Y0+DY*(rows+1),"
"class:'ladder'},undefined,true);\n"
" const defs=el('defs',{},undefined,true);\n"
" for(const [id,c] of [['a','#333'],['f','#c62828'],['o','#999']]){"
"const mk=el('marker',{id:'h'+id,markerWidth:10,markerHeight:8,refX:9,"
"refY:4,orient:'auto'},undefined,true);mk.append(el('path',{d:'M0,0 L9,4"
" L0,8 z',fill:c},undefined,true));defs.append(mk);}\n"
" svg.append(defs);\n"
" names.forEach((n,i)=>{const x=X0+W*i;"
"svg.append(el('text',{x:x,y:20,'text-anchor':'middle',class:'role'},n,"
"true));svg.append(el('line',{x1:x,y1:28,x2:x,y2:Y0+DY*rows,"
"class:'lane'},undefined,true));});\n"
" const items=sc.messages.map(m=>({m:m,s:m.step,st:m.status}));\n"
" for(const s of missing)items.push({s:s.id,st:'fail',miss:s});\n"
" items.forEach((it,i)=>{\n"
"  const from=it.m?it.m.from:it.miss.from,to=it.m?it.m.to:it.miss.to;\n"
"  const x1=X0+W*names.indexOf(from),x2=X0+W*names.indexOf(to),"
"y=Y0+DY*i;\n"
"  const cls='arrow'+(it.st==='fail'?' fail':'')+(it.miss?' missing':'')"
"+(!it.s?' other':'')+(it.m&&it.m.copy_of?' copy':'')"
"+(it.m&&it.m.lost?' lost':'')+(it.m&&it.m.teardown?' teardown':'');\n"
"  const g=el('g',{class:cls,'data-step':it.s||'','data-frame':"
"it.m?it.m.frame:0},undefined,true);\n"
"  const mk=it.st==='fail'?'f':(it.s?'a':'o');\n"
"  g.append(el('line',{x1:x1,y1:y,x2:x2,y2:y,'marker-end':`url(#h${mk})`},"
"undefined,true));\n"
"  const label=(it.s?it.s+'  ':'')+(it.m?it.m.line.replace(/ SIP\\/2\\.0$/,"
"'').replace(/^SIP\\/2\\.0 /,''):it.miss.what+' (missing)');\n"
"  g.append(el('text',{x:(x1+x2)/2,y:y-5,'text-anchor':'middle'},"
"(label.length>40?label.slice(0,40)+'…':label)+(it.m&&it.m.copy_of?"
"` (copy of ${it.m.copy_of})`:'')+(it.m&&it.m.lost?' (lost)':'')"
"+(it.m&&it.m.teardown?' (teardown)':''),true));\n"
"  g.append(el('title',{},it.m?`frame ${it.m.frame}, ${it.m.t_ms} ms`:"
"(it.miss.reason||''),true));\n"
"  g.addEventListener('click',()=>{pre.textContent=it.m?"
"`frame ${it.m.frame} — ${it.m.from} → ${it.m.to}\\n\\n`+it.m.text:"
"`${it.miss.id}: ${it.miss.reason||'missing'}`;pre.hidden=false;});\n"
"  svg.append(g);});\n"
" box.append(svg);}\n"
"for(const sc of data.scenarios){\n"
" const sec=el('section',{class:sc.result,id:'scn-'+sc.name});\n"
" const h=el('h2',{});h.append(el('span',{class:'badge'},"
"sc.result.toUpperCase()),' '+sc.name+(sc.title?' — '+sc.title:''));\n"
" sec.append(h);\n"
" if(sc.result==='skip'){sec.append(el('p',{class:'skip'},"
"'skipped: '+sc.skip_reason));document.getElementById('scenarios')"
".append(sec);continue;}\n"
" sec.append(el('p',{},`${sc.passed} passed, ${sc.failed} failed, "
"${sc.skipped} skipped, ${sc.not_run} not run — ${sc.duration_ms} ms`+"
"(sc.pcap?` — ${sc.pcap}`:'')));\n"
" if(sc.source)sec.append(el('p',{class:'source'},'Source: '+sc.source));\n"
" const tb=el('table',{});tb.append(el('tr',{},undefined));\n"
" tb.firstChild.append(el('th',{},'step'),el('th',{},'message'),"
"el('th',{},'from → to'),el('th',{},'verdict'),el('th',{},'frame'),"
"el('th',{},'reason'));\n"
" for(const s of sc.steps){if(s.type==='group')continue;"
"const tr=el('tr',{class:s.status});"
"tr.append(el('td',{},s.type==='message'?s.id:''),el('td',{},s.what),"
"el('td',{},s.from?`${s.from} → ${s.to}`:''),el('td',{},s.status+"
"(s.device_ms!==undefined?` (${s.stimulus?'driver':'device'} "
"${s.device_ms} ms)`:'')),"
"el('td',{},s.frame||''),el('td',{},s.reason||''));tb.append(tr);}\n"
" sec.append(tb);\n"
" if(sc.findings.length){const ft=el('table',{class:'findings'});"
"ft.append(el('tr',{}));ft.firstChild.append(el('th',{},'rule'),"
"el('th',{},'RFC'),el('th',{},'severity'),el('th',{},'step'),"
"el('th',{},'frame'),el('th',{},'what')),"
"sc.findings.forEach(f=>{const tr=el('tr',{class:f.severity==='error'?"
"'fail':'skip'});tr.append(el('td',{},f.rule),el('td',{},f.rfc),"
"el('td',{},f.severity),el('td',{},f.step||''),el('td',{},f.frame),"
"el('td',{},f.text+(f.got?' — got '+f.got:'')));ft.append(tr);});"
"sec.append(el('h3',{},'Conformance findings'),ft);}\n"
" const box=el('div',{class:'box'});sec.append(box);\n"
" const pre=el('pre',{class:'msg'});pre.hidden=true;\n"
" ladder(sc,box,pre);sec.append(pre);\n"
" document.getElementById('scenarios').append(sec);}\n"
"/* ?click=SCENARIO:FRAME clicks that arrow once the page is drawn */\n"
"const q=new URLSearchParams(location.search).get('click');\n"
"if(q){const [n,f]=q.split(':');const g=document.querySelector("
"`#scn-${CSS.escape(n)} g.arrow[data-frame=\"${f}\"]`);"
"if(g)g.dispatchEvent(new MouseEvent('click',{bubbles:true}));}\n"
"</script></body></html>\n";


/** Write report.html: 0, or why it is not whole (errno) */
int report_write_html(const struct report *rp, const char *path)
{
	struct wfile wf;
	struct re_printf pf = {guard_h, &wf};
	int err;

	if (!rp || !path)
		return EINVAL;

	err = wfile_open(&wf, path, "w");
	if (err)
		return err;

	err = wfile_write(&wf, head, sizeof(head) - 1);
	if (!err)
		err = report_json_print(&pf, rp);
	if (!err)
		err = wfile_write(&wf, tail, sizeof(tail) - 1);

	if (wfile_close(&wf))
		err = wf.err;     /* the write's own reason */

	return err;
}
