// ecojuris intake page: a case form, a clickable region map and the routing result.
// Plain browser JavaScript, served from the binary; talks to /v1/route and /v1/locate only.
"use strict";

(function () {
  const I18N = {
    zh: {
      title: "长三角环境资源案件管辖指引",
      subtitle: "上海 · 江苏 · 浙江 · 安徽：列出每一个有管辖权的法院及其依据",
      case: "案件", kind: "案件类型", filed_on: "立案日期", places: "地点",
      places_hint: "每个地点可按地址、行政区划代码或坐标填写。点击地图，即在当前选中的地点放置坐标。",
      add_place: "＋ 添加地点", more: "更多案情（可选）", brought_by: "起诉主体", agency_level: "被告行政机关",
      admin_subject: "行政案件事项", max_penalty: "可能判处的最高刑罚", investigated_by: "侦查机关",
      claim: "诉讼标的额（元）", cross_province: "当事人跨省", case_id: "案件编号",
      ship_source: "船舶或海上作业造成的污染", submit: "查询管辖法院", reset: "重置", map: "地图",
      sh: "上海", js: "江苏", zj: "浙江", ah: "安徽", dz: "示范区", seat: "法院驻地",
      map_hint: "点击地图放置坐标（WGS-84）。", result: "结果", result_empty: "填写案件后点击“查询管辖法院”。",
      rules_v: "规则", geo_v: "地理数据",
      role: "角色", mode_address: "地址", mode_code: "代码", mode_at: "坐标",
      address_ph: "例：上海市青浦区朱家角镇", code_ph: "例：310118", lon: "经度", lat: "纬度",
      remove: "删除地点", place_n: "地点", unset: "（未填）", yes: "是", no: "否",
      routing: "查询中…", n_courts: (n) => `有管辖权的法院：${n} 个`, no_court: "没有有管辖权的法院",
      relation: "法院之间的关系", tribunal: "审判庭", appeal: "上诉法院", grounds: "管辖依据",
      level: "审级", place: "地点", unit: "区县", rule: "规则", sources: "依据来源", uncertain: "存疑",
      confirmed: "已确认", corroborated: "有案例佐证", subsidiary: "（补充连接点：更为适宜时）", warnings: "提示",
      filed_used: "适用日期", versions: "版本", raw: "原始 JSON", error: "无法查询",
      field: "字段", network: "无法连接服务器", placed: (n, lon, lat) => `已在地点 ${n} 放置坐标 ${lon}, ${lat}`,
      locating: "定位中…", ambiguous: "有歧义：", not_found: "未识别", outside: "超出覆盖范围",
      at_sea: "海域", feature: "水域", area: "地区", court_levels: { basic: "基层法院", intermediate: "中级法院", high: "高级法院", supreme: "最高法院" },
      route_levels: { basic: "基层", intermediate: "中级", maritime: "海事" },
      rel: { none: "无", exclusive: "唯一有管辖权的法院", concurrent: "共同管辖（同省）", cross_province: "跨省共同管辖" },
      zoom_in: "放大", zoom_out: "缩小", zoom_reset: "全图", search_ph: "查找区县：青浦 / Qingpu / 310118", search: "查找",
      search_none: "未找到该区县", search_pick: "请选择：", map_keys: "地图：滚轮或 +/− 缩放，拖动平移",
      clarify: "需要确认地点", clarify_q: (n) => `地点 ${n} 可对应多个区县，请选择其一：`, clarify_none: "无有管辖权的法院",
      clarify_gives: "将由以下法院管辖：", print: "打印决定记录", record: "管辖决定记录", printed: "打印时间",
      engine_v: "程序版本", answer: "结论", field_place: (n) => `地点 ${n}`, needs_clarification: "需要确认地点",
      kinds_roles_note: "可选角色随案件类型变化", why_not: "为什么不是这个法院？", why_not_ph: "输入或选择法院名称", why_not_btn: "查询原因",
      why_competent: "该法院有管辖权", why_not_competent: "该法院没有管辖权",
      err: {
        invalid_case: "案件信息有误，无法查询。", invalid_request: "请求格式有误。", invalid_point: "坐标无效（经度 −180 至 180，纬度 −90 至 90）。",
        unknown_code: "无法识别该行政区划代码。", body_read: "无法读取请求内容。", body_too_large: "请求内容过大。",
        response_too_large: "结果过大，请减少地点数量。", not_found: "请求的接口不存在。", unsupported_media_type: "请求须为 JSON 格式。",
        method_not_allowed: "不支持该请求方式。", timeout: "查询超时，请稍后重试。", busy: "服务器繁忙，请稍后重试。",
        unknown_court: "未找到该法院，请输入法院全称或从列表中选择。", internal: "服务器内部错误。", network: "无法连接服务器。", other: "无法处理该请求。",
        places_empty: "请至少填写一个地点。", claim: "诉讼标的额须为不小于 0 的数字。",
        earliest: (d, f) => `立案日期 ${d} 早于规则集中最早的规则（${f}），无法查询。`,
        needs_role: (kind, want, have) => `${kind}案件需要填写下列角色之一的地点：${want}；当前地点的角色为：${have}。`,
        place_code: (n) => `地点 ${n} 的行政区划代码无法识别。`, values: "相关值：", nearest: "相近的已知代码：",
      },
      fields: { kind: "案件类型", filed_on: "立案日期", places: "地点", role: "角色", code: "代码", address: "地址", at: "坐标", crs: "坐标系",
        claim_amount_cny: "诉讼标的额", brought_by: "起诉主体", defendant_agency_level: "被告行政机关", admin_subject: "行政案件事项",
        max_penalty: "最高刑罚", investigated_by: "侦查机关", parties_cross_province: "当事人跨省", id: "案件编号", ship_source: "船舶污染" },
    },
    en: {
      title: "YRD environmental case routing",
      subtitle: "Shanghai · Jiangsu · Zhejiang · Anhui: every competent court, with the grounds",
      case: "Case", kind: "Case kind", filed_on: "Filing date", places: "Places",
      places_hint: "Give each place by address, administrative code or coordinates. Clicking the map puts a point in the selected place.",
      add_place: "+ Add place", more: "More facts (optional)", brought_by: "Brought by", agency_level: "Defendant agency",
      admin_subject: "Administrative subject", max_penalty: "Maximum penalty", investigated_by: "Investigated by",
      claim: "Claim amount (CNY)", cross_province: "Parties in different provinces", case_id: "Case id",
      ship_source: "Pollution from ships or operations at sea", submit: "Find competent courts", reset: "Reset", map: "Map",
      sh: "Shanghai", js: "Jiangsu", zj: "Zhejiang", ah: "Anhui", dz: "Demo Zone", seat: "Court seat",
      map_hint: "Click the map to place a point (WGS-84).", result: "Result", result_empty: "Fill in the case and press “Find competent courts”.",
      rules_v: "rules", geo_v: "geodata",
      role: "Role", mode_address: "Address", mode_code: "Code", mode_at: "Coordinates",
      address_ph: "e.g. 上海市青浦区朱家角镇", code_ph: "e.g. 310118", lon: "Longitude", lat: "Latitude",
      remove: "Remove place", place_n: "Place", unset: "(not set)", yes: "yes", no: "no",
      routing: "Routing…", n_courts: (n) => `${n} competent court${n === 1 ? "" : "s"}`, no_court: "No competent court",
      relation: "Relation between the courts", tribunal: "Tribunal", appeal: "Appeal court", grounds: "Grounds",
      level: "Level", place: "Place", unit: "Unit", rule: "Rule", sources: "Sources", uncertain: "uncertain",
      confirmed: "confirmed", corroborated: "corroborated", subsidiary: "(subsidiary: if more suitable)", warnings: "Warnings",
      filed_used: "Rules as of", versions: "Versions", raw: "Raw JSON", error: "Could not route",
      field: "field", network: "Cannot reach the server", placed: (n, lon, lat) => `Put ${lon}, ${lat} in place ${n}`,
      locating: "Locating…", ambiguous: "Ambiguous: ", not_found: "Not recognised", outside: "Outside the covered area",
      at_sea: "at sea", feature: "water", area: "area", court_levels: { basic: "basic court", intermediate: "intermediate court", high: "high court", supreme: "supreme court" },
      route_levels: { basic: "basic", intermediate: "intermediate", maritime: "maritime" },
      rel: { none: "none", exclusive: "sole competent court", concurrent: "concurrent (same province)", cross_province: "concurrent across provinces" },
      zoom_in: "Zoom in", zoom_out: "Zoom out", zoom_reset: "Whole map", search_ph: "Find a district: 青浦 / Qingpu / 310118", search: "Find",
      search_none: "No such district", search_pick: "Choose: ", map_keys: "Map: wheel or +/− to zoom, drag to pan",
      clarify: "Which place is meant?", clarify_q: (n) => `Place ${n} matches several districts; choose one:`, clarify_none: "no competent court",
      clarify_gives: "would go to:", print: "Print decision record", record: "Jurisdiction decision record", printed: "Printed",
      engine_v: "Program version", answer: "Answer", field_place: (n) => `Place ${n}`, needs_clarification: "Place to be confirmed",
      kinds_roles_note: "The roles offered follow the case kind", why_not: "Why not this court?", why_not_ph: "Type or pick a court", why_not_btn: "Ask",
      why_competent: "This court is competent", why_not_competent: "This court is not competent",
      err: {
        invalid_case: "The case cannot be routed as entered.", invalid_request: "The request is malformed.", invalid_point: "Invalid coordinates (longitude −180 to 180, latitude −90 to 90).",
        unknown_code: "Unknown administrative code.", body_read: "Cannot read the request.", body_too_large: "The request is too large.",
        response_too_large: "The answer is too large: give fewer places.", not_found: "No such endpoint.", unsupported_media_type: "The request must be JSON.",
        method_not_allowed: "Method not allowed.", timeout: "Timed out; try again.", busy: "The server is busy; try again.",
        unknown_court: "No such court: give its full name or pick it from the list.", internal: "Internal server error.", network: "Cannot reach the server.", other: "The request could not be handled.",
        places_empty: "Give at least one place.", claim: "The claim amount must be a number ≥ 0.",
        earliest: (d, f) => `The filing date ${d} is before the earliest rule of the rule set (${f}).`,
        needs_role: (kind, want, have) => `A ${kind} case needs a place with one of the roles: ${want}; the places have: ${have}.`,
        place_code: (n) => `The administrative code of place ${n} is not known.`, values: "Values: ", nearest: "nearest known codes: ",
      },
      fields: { kind: "case kind", filed_on: "filing date", places: "places", role: "role", code: "code", address: "address", at: "coordinates", crs: "CRS",
        claim_amount_cny: "claim amount", brought_by: "brought by", defendant_agency_level: "defendant agency", admin_subject: "administrative subject",
        max_penalty: "maximum penalty", investigated_by: "investigated by", parties_cross_province: "parties in different provinces", id: "case id", ship_source: "ship source" },
    },
  };

  const ENUMS = {
    kind: [
      ["criminal", "刑事", "Criminal"],
      ["civil", "民事", "Civil"],
      ["administrative", "行政", "Administrative"],
      ["civil_public_interest", "环境民事公益诉讼", "Civil public-interest"],
      ["administrative_public_interest", "行政公益诉讼", "Administrative public-interest"],
      ["criminal_incidental_civil_public_interest", "刑事附带民事公益诉讼", "Criminal-incidental civil public-interest"],
      ["eco_damage_compensation", "生态环境损害赔偿诉讼", "Eco-damage compensation"],
    ],
    role: [
      ["conduct", "行为地", "Place of the act"],
      ["result", "结果地", "Place of the result"],
      ["defendant_domicile", "被告住所地", "Defendant's domicile"],
      ["agency", "行政机关所在地", "Seat of the agency"],
      ["reconsideration_agency", "复议机关所在地", "Seat of the reconsideration agency"],
      ["landing", "登陆地", "Landing place"],
      ["preventive_measures", "采取预防措施地", "Place of preventive measures"],
    ],
    plaintiff: [
      ["", "—", "—"],
      ["party", "当事人", "A party"],
      ["procuratorate", "检察机关", "Procuratorate"],
      ["government", "政府", "Government"],
      ["organization", "社会组织", "Social organization"],
    ],
    agency_level: [
      ["", "—", "—"],
      ["department", "政府部门", "Government department"],
      ["county_government", "县级政府", "County government"],
      ["prefecture_government", "地市级政府", "Prefecture government"],
      ["provincial_government", "省级政府", "Provincial government"],
      ["maritime_agency", "海事行政机关", "Maritime agency"],
    ],
    admin_subject: [
      ["", "—", "—"],
      ["information_disclosure", "政府信息公开", "Information disclosure"],
      ["failure_to_perform", "不履行法定职责", "Failure to perform"],
      ["reconsideration_refused", "复议不予受理/驳回", "Reconsideration refused"],
      ["natural_resource_ownership", "自然资源确权", "Natural-resource ownership"],
      ["other", "其他", "Other"],
    ],
    max_penalty: [
      ["", "—", "—"],
      ["ordinary", "一般刑罚", "Ordinary"],
      ["life_or_death", "无期徒刑或死刑", "Life imprisonment or death"],
    ],
    investigator: [
      ["", "—", "—"],
      ["police", "公安机关", "Police"],
      ["coast_guard", "海警", "Coast guard"],
      ["other", "其他", "Other"],
    ],
    tristate: [
      ["", "—", "—"],
      ["true", "是", "Yes"],
      ["false", "否", "No"],
    ],
    crs: [
      ["wgs84", "WGS-84", "WGS-84"],
      ["gcj02", "GCJ-02 高德", "GCJ-02 Amap"],
      ["bd09", "BD-09 百度", "BD-09 Baidu"],
    ],
  };

  // The roles a clerk can choose follow the case kind (the connecting factors of the rules for
  // that kind), with the words of the procedure law of that kind; the first is the default.
  const CRIMINAL_ROLES = [
    ["conduct", "犯罪行为地", "Place of the criminal act"],
    ["result", "犯罪结果地", "Place of the criminal result"],
    ["defendant_domicile", "被告人居住地", "Defendant's residence"],
    ["landing", "登陆地（海上犯罪）", "Landing place (crime at sea)"],
  ];
  const CIVIL_ROLES = [
    ["conduct", "侵权行为地", "Place of the tortious act"],
    ["result", "侵权结果地", "Place of the damage"],
    ["defendant_domicile", "被告住所地", "Defendant's domicile"],
    ["preventive_measures", "采取预防措施地（海洋污染）", "Place of preventive measures (marine pollution)"],
  ];
  const ADMIN_ROLES = [
    ["agency", "被诉行政机关所在地", "Seat of the defendant agency"],
    ["reconsideration_agency", "复议机关所在地", "Seat of the reconsideration agency"],
  ];
  const KIND_ROLES = {
    criminal: CRIMINAL_ROLES,
    criminal_incidental_civil_public_interest: CRIMINAL_ROLES,
    civil: CIVIL_ROLES,
    civil_public_interest: CIVIL_ROLES,
    eco_damage_compensation: CIVIL_ROLES,
    administrative: ADMIN_ROLES,
    administrative_public_interest: [["agency", "被诉行政机关所在地", "Seat of the defendant agency"]],
  };
  // The role choices for a kind; a role the kind does not use (from a shared link) stays
  // selectable under its general name so nothing entered is lost.
  function rolesFor(kind, keep) {
    const list = (KIND_ROLES[kind] || ENUMS.role).slice();
    if (keep && !list.some(([v]) => v === keep)) {
      const g = ENUMS.role.find(([v]) => v === keep);
      if (g) list.push(g);
    }
    return list;
  }
  function roleName(kind, v) {
    const hit = (KIND_ROLES[kind] || []).find(([k]) => k === v) || ENUMS.role.find(([k]) => k === v);
    return hit ? (lang === "zh" ? hit[1] : hit[2]) : v;
  }
  // A role for a new place of this kind: the first the other places do not use yet.
  function nextRole(kind) {
    const list = KIND_ROLES[kind] || ENUMS.role;
    const used = new Set($$(".place .role").map((s) => s.value));
    const free = list.find(([v]) => !used.has(v));
    return (free || list[0])[0];
  }
  // After a change of kind: keep each place's role when the kind uses it, otherwise give it
  // the kind's first role not taken by another place.
  function adaptRoles() {
    const kind = $("#kind").value;
    const list = KIND_ROLES[kind] || ENUMS.role;
    const valid = new Set(list.map(([v]) => v));
    const sels = $$(".place .role");
    const used = new Set(sels.map((s) => s.value).filter((v) => valid.has(v)));
    for (const s of sels) {
      if (!valid.has(s.value)) {
        const free = list.find(([v]) => !used.has(v));
        const v = (free || list[0])[0];
        used.add(v);
        s.dataset.value = v;
      } else s.dataset.value = s.value;
      fillSelect(s, rolesFor(kind, s.dataset.value));
      s.value = s.dataset.value;
    }
  }

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  let lang = "zh";
  // Language: the clerk's last choice, else `?lang=zh|en`, else the browser's first zh or en
  // language, else Chinese.
  (function () {
    let stored = null;
    try { stored = localStorage.getItem("ecojuris.lang"); } catch (_) { /* private mode */ }
    let q = null;
    try { q = new URLSearchParams(location.search).get("lang"); } catch (_) { /* old browser */ }
    const nav = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""])
      .map((l) => String(l).toLowerCase()).find((l) => l.startsWith("zh") || l.startsWith("en"));
    const pickLang = [stored, q, nav && nav.slice(0, 2)].find((l) => l === "zh" || l === "en");
    lang = pickLang || "zh";
  })();
  const t = (k) => I18N[lang][k] !== undefined ? I18N[lang][k] : k;
  let lastDecision = null;
  let lastError = null;
  let lastCase = null;
  let activePlace = null;
  let lastPlaced = null;
  let placeSeq = 0;

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return e;
  }

  function fillSelect(select, list) {
    const cur = select.value;
    select.textContent = "";
    for (const [v, zh, en] of list) select.append(el("option", { value: v }, lang === "zh" ? zh : en));
    if (cur !== "" || list.some(([v]) => v === "")) select.value = cur;
  }

  function enumName(list, v) {
    const hit = ENUMS[list].find(([k]) => k === v);
    return hit ? (lang === "zh" ? hit[1] : hit[2]) : v;
  }

  // ---------------------------------------------------------------------------------------
  // Places
  // ---------------------------------------------------------------------------------------
  function placeRow(init) {
    const id = ++placeSeq;
    const li = el("li", { class: "place", "data-place": String(id) });
    const role = el("select", { class: "role", "aria-label": t("role") });
    const kind = $("#kind").value;
    const r0 = init.role || nextRole(kind);
    fillSelect(role, rolesFor(kind, r0));
    role.value = r0;
    const modes = el("div", { class: "modes", role: "radiogroup" });
    for (const m of ["address", "code", "at"]) {
      const input = el("input", { type: "radio", name: `mode-${id}`, value: m });
      if ((init.mode || "address") === m) input.checked = true;
      modes.append(el("label", {}, input, el("span", { "data-i18n": `mode_${m}` }, t(`mode_${m}`))));
    }
    const address = el("input", { type: "text", class: "address", placeholder: t("address_ph"), "data-i18n-ph": "address_ph", autocomplete: "off", value: init.address || "" });
    const code = el("input", { type: "text", class: "code", placeholder: t("code_ph"), "data-i18n-ph": "code_ph", inputmode: "numeric", autocomplete: "off", value: init.code || "" });
    const lon = el("input", { type: "number", class: "lon", step: "any", placeholder: t("lon"), "data-i18n-ph": "lon", "aria-label": t("lon"), value: init.lon === undefined ? "" : String(init.lon) });
    const lat = el("input", { type: "number", class: "lat", step: "any", placeholder: t("lat"), "data-i18n-ph": "lat", "aria-label": t("lat"), value: init.lat === undefined ? "" : String(init.lat) });
    const crs = el("select", { class: "crs", "aria-label": "CRS" });
    fillSelect(crs, ENUMS.crs);
    crs.value = init.crs || "wgs84";
    const coords = el("div", { class: "coords" }, lon, lat, crs);
    const resolved = el("p", { class: "resolved", "aria-live": "polite" });
    const remove = el("button", { type: "button", class: "remove", title: t("remove"), "aria-label": t("remove") }, "×");
    li.append(
      el("div", { class: "place-head" }, el("span", { class: "place-no" }), role, remove),
      modes, address, code, coords, resolved,
    );
    const sync = () => {
      const m = mode(li);
      address.hidden = m !== "address";
      code.hidden = m !== "code";
      coords.hidden = m !== "at";
      resolved.textContent = "";
      resolved.className = "resolved";
      drawMarkers();
      scheduleLocate(li);
    };
    modes.addEventListener("change", sync);
    for (const inp of [address, code, lon, lat, crs]) {
      inp.addEventListener("input", () => { inp.classList.remove("invalid"); scheduleLocate(li); if (inp === lon || inp === lat) drawMarkers(); });
      inp.addEventListener("change", () => scheduleLocate(li));
    }
    li.addEventListener("focusin", () => setActive(li));
    li.addEventListener("click", () => setActive(li));
    remove.addEventListener("click", (ev) => {
      ev.stopPropagation();
      if ($$(".place").length <= 1) return;
      li.remove();
      if (activePlace === li) setActive($(".place"));
      renumber();
    });
    $("#places").append(li);
    sync();
    renumber();
    return li;
  }

  function mode(li) {
    const r = $("input[type=radio]:checked", li);
    return r ? r.value : "address";
  }

  function setMode(li, m) {
    const r = $(`input[type=radio][value="${m}"]`, li);
    if (r && !r.checked) { r.checked = true; r.dispatchEvent(new Event("change", { bubbles: true })); }
  }

  function setActive(li) {
    activePlace = li || null;
    for (const p of $$(".place")) p.classList.toggle("active", p === activePlace);
    drawMarkers();
  }

  function renumber() {
    $$(".place").forEach((li, i) => { $(".place-no", li).textContent = String(i + 1); });
    const only = $$(".place").length <= 1;
    for (const b of $$(".place .remove")) b.disabled = only;
    drawMarkers();
  }

  function placeJson(li) {
    const role = $(".role", li).value;
    const m = mode(li);
    if (m === "address") return { role, address: $(".address", li).value.trim() };
    if (m === "code") return { role, code: $(".code", li).value.trim() };
    const lon = parseFloat($(".lon", li).value);
    const lat = parseFloat($(".lat", li).value);
    return { role, at: [Number.isFinite(lon) ? lon : null, Number.isFinite(lat) ? lat : null], crs: $(".crs", li).value };
  }

  // Live feedback: what each place resolves to (POST /v1/locate), debounced.
  const timers = new WeakMap();
  function scheduleLocate(li) {
    clearTimeout(timers.get(li));
    timers.set(li, setTimeout(() => locatePlace(li), 350));
  }

  async function locatePlace(li) {
    const p = placeJson(li);
    const out = $(".resolved", li);
    let body = null;
    if (p.address !== undefined) { if (!p.address) { out.textContent = ""; return; } body = { address: p.address }; }
    else if (p.code !== undefined) { if (!/^\d{6}(\d{3})?$/.test(p.code)) { out.textContent = ""; return; } body = { code: p.code }; }
    else { if (p.at[0] === null || p.at[1] === null) { out.textContent = ""; return; } body = { at: p.at, crs: p.crs }; }
    const key = JSON.stringify(body);
    li.dataset.locating = key;
    out.className = "resolved";
    out.textContent = t("locating");
    try {
      const r = await fetch("/v1/locate", { method: "POST", headers: { "Content-Type": "application/json" }, body: key });
      const j = await r.json();
      if (li.dataset.locating !== key) return;
      const [cls, text] = describeLocation(j);
      out.className = "resolved " + cls;
      out.textContent = text;
    } catch (_) {
      if (li.dataset.locating === key) { out.className = "resolved bad"; out.textContent = t("network"); }
    }
  }

  function describeLocation(j) {
    if (j.error) return ["bad", errorText(j.error)];
    const unitName = (u) => `${u.province_name && u.province_name !== u.name ? u.province_name + " " : ""}${u.city_name && u.city_name !== u.province_name ? u.city_name + " " : ""}${u.name}${lang === "en" && u.name_en ? " (" + u.name_en + ")" : ""} · ${u.adcode}`;
    if (j.status !== undefined && j.matched !== undefined) { // an address
      if (j.unit) return ["ok", "→ " + unitName(j.unit) + (j.town ? ` · ${j.town}` : "")];
      if (j.candidates && j.candidates.length) return ["bad", t("ambiguous") + j.candidates.map((c) => `${c.name} ${c.adcode}`).join("、")];
      if (j.area) return ["bad", `${t("area")} ${j.area}`];
      return ["bad", t("not_found")];
    }
    if (j.input !== undefined) { // a point
      if (j.outside) return ["bad", t("outside")];
      if (j.unit) return ["ok", "→ " + unitName(j.unit)];
      const f = (j.features || []).map((x) => x.name.split(" (")[0]).join("、");
      return ["ok", `→ ${t("at_sea")}${f ? " · " + f : ""}`];
    }
    if (j.code !== undefined) { // a code
      if (j.unit) return ["ok", "→ " + unitName(j.unit) + (j.town ? ` · ${j.town.name}` : "")];
      return ["ok", `→ ${j.name} (${t("area")})`];
    }
    return ["", ""];
  }

  // ---------------------------------------------------------------------------------------
  // Map
  // ---------------------------------------------------------------------------------------
  const svg = document.getElementById("map");
  const proj = svg ? {
    lon0: parseFloat(svg.dataset.lon0), lat1: parseFloat(svg.dataset.lat1),
    kx: parseFloat(svg.dataset.kx), ky: parseFloat(svg.dataset.ky), m: parseFloat(svg.dataset.margin),
  } : null;
  if (svg && !$("#unit-labels", svg)) {
    const g = document.createElementNS("http://www.w3.org/2000/svg", "g");
    g.setAttribute("id", "unit-labels");
    g.setAttribute("aria-hidden", "true");
    svg.insertBefore(g, $("#seats", svg));
  }
  const units = new Map();
  if (svg) for (const p of $$(".units path", svg)) units.set(p.dataset.code, { zh: p.dataset.zh, en: p.dataset.en, path: p });

  function toLonLat(x, y) { return [proj.lon0 + (x - proj.m) / proj.kx, proj.lat1 - (y - proj.m) / proj.ky]; }
  function toXY(lon, lat) { return [(lon - proj.lon0) * proj.kx + proj.m, (proj.lat1 - lat) * proj.ky + proj.m]; }

  const NS = "http://www.w3.org/2000/svg";
  // Marks (place markers, court seats) keep their size on screen at any zoom.
  function markTransform(x, y) { return `translate(${x.toFixed(1)} ${y.toFixed(1)}) scale(${(1.5 / zoomK()).toFixed(4)})`; }

  function drawMarkers() {
    if (!svg) return;
    const g = $("#markers", svg);
    g.textContent = "";
    $$(".place").forEach((li, i) => {
      if (mode(li) !== "at" || $(".crs", li).value !== "wgs84") return;
      const lon = parseFloat($(".lon", li).value), lat = parseFloat($(".lat", li).value);
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
      const [x, y] = toXY(lon, lat);
      const m = document.createElementNS(NS, "g");
      m.setAttribute("class", "marker" + (li === activePlace ? " active" : ""));
      m.dataset.x = String(x); m.dataset.y = String(y);
      m.setAttribute("transform", markTransform(x, y));
      const c = document.createElementNS(NS, "circle");
      c.setAttribute("cx", "0"); c.setAttribute("cy", "0"); c.setAttribute("r", "8");
      const tx = document.createElementNS(NS, "text");
      tx.setAttribute("x", "0"); tx.setAttribute("y", "0");
      tx.textContent = String(i + 1);
      m.append(c, tx);
      g.append(m);
    });
  }

  // ---------------------------------------------------------------------------------------
  // Zoom and pan: the SVG viewBox changes (same aspect ratio as the whole map, so the map
  // keeps its size on the page). Wheel, drag, two-finger pinch, the +/− buttons and the
  // keyboard (+, −, 0, arrows when the map has focus).
  // ---------------------------------------------------------------------------------------
  const base = svg ? (() => { const b = svg.viewBox.baseVal; return { x: b.x, y: b.y, w: b.width, h: b.height }; })() : null;
  let view = base ? { ...base } : null;
  const MAX_ZOOM = 60;
  function zoomK() { return view ? base.w / view.w : 1; }

  function setView(v) {
    if (!svg) return;
    const w = Math.min(base.w, Math.max(base.w / MAX_ZOOM, v.w));
    const h = w * base.h / base.w;
    const cx = Math.min(base.x + base.w, Math.max(base.x, v.x + v.w / 2));
    const cy = Math.min(base.y + base.h, Math.max(base.y, v.y + v.h / 2));
    view = { x: cx - w / 2, y: cy - h / 2, w, h };
    if (w >= base.w) view = { ...base };
    svg.setAttribute("viewBox", `${view.x.toFixed(2)} ${view.y.toFixed(2)} ${view.w.toFixed(2)} ${view.h.toFixed(2)}`);
    const k = zoomK();
    svg.dataset.zoom = k.toFixed(2);
    svg.style.setProperty("--k", String(k));
    for (const m of $$("#markers .marker, #seats .seat", svg)) m.setAttribute("transform", markTransform(+m.dataset.x, +m.dataset.y));
    unitLabels();
  }

  function zoomAt(factor, px, py) {
    if (!view) return;
    if (px === undefined) { px = view.x + view.w / 2; py = view.y + view.h / 2; }
    const f = Math.max(1 / MAX_ZOOM, Math.min(MAX_ZOOM, factor));
    setView({ x: px - (px - view.x) / f, y: py - (py - view.y) / f, w: view.w / f, h: view.h / f });
  }

  // Zooms so that the box (user units) fills most of the map.
  function zoomTo(box) {
    if (!svg || !box) return;
    const pad = 1.35;
    const w = Math.max(box.w * pad, box.h * pad * base.w / base.h, base.w / 24);
    const h = w * base.h / base.w;
    setView({ x: box.x + box.w / 2 - w / 2, y: box.y + box.h / 2 - h / 2, w, h });
  }

  function unionBox(boxes) {
    const bs = boxes.filter(Boolean);
    if (!bs.length) return null;
    const x0 = Math.min(...bs.map((b) => b.x)), y0 = Math.min(...bs.map((b) => b.y));
    const x1 = Math.max(...bs.map((b) => b.x + b.w)), y1 = Math.max(...bs.map((b) => b.y + b.h));
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }
  const bboxCache = new Map();
  function unitBox(code) {
    const u = units.get(code);
    if (!u) return null;
    if (!bboxCache.has(code)) { try { const b = u.path.getBBox(); bboxCache.set(code, { x: b.x, y: b.y, w: b.width, h: b.height }); } catch (_) { return null; } }
    return bboxCache.get(code);
  }

  // County names appear once the map is zoomed in far enough for them to fit.
  function unitLabels() {
    if (!svg) return;
    const g = $("#unit-labels", svg);
    if (!g) return;
    const k = zoomK();
    const rect = svg.getBoundingClientRect();
    const pxPerUnit = rect.width > 0 ? Math.min(rect.width / view.w, rect.height / view.h || Infinity) : 1;
    svg.classList.toggle("zoomed", k >= 2.5);
    g.textContent = "";
    if (k < 2.5) return;
    const fs = 12 / pxPerUnit;
    for (const [code, u] of units) {
      const b = unitBox(code);
      if (!b || b.x > view.x + view.w || b.x + b.w < view.x || b.y > view.y + view.h || b.y + b.h < view.y) continue;
      const name = lang === "zh" ? u.zh : (u.en || u.zh).replace(/ (District|County|City)$/, "");
      if (b.w * pxPerUnit < name.length * (lang === "zh" ? 12 : 7) + 4) continue;
      const tx = document.createElementNS(NS, "text");
      tx.setAttribute("x", (b.x + b.w / 2).toFixed(1));
      tx.setAttribute("y", (b.y + b.h / 2).toFixed(1));
      tx.setAttribute("font-size", fs.toFixed(2));
      tx.setAttribute("stroke-width", (3 / pxPerUnit).toFixed(2));
      tx.textContent = name;
      g.append(tx);
    }
  }

  function clientToUser(cx, cy) {
    const ctm = svg.getScreenCTM();
    if (!ctm) return null;
    const pt = svg.createSVGPoint();
    pt.x = cx; pt.y = cy;
    return pt.matrixTransform(ctm.inverse());
  }

  let suppressClick = false;
  if (svg) {
    const pointers = new Map();
    let drag = null;
    svg.setAttribute("tabindex", "0");
    svg.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      const p = clientToUser(ev.clientX, ev.clientY);
      const dy = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
      if (p) zoomAt(Math.exp(-dy * 0.0018), p.x, p.y);
    }, { passive: false });
    svg.addEventListener("pointerdown", (ev) => {
      pointers.set(ev.pointerId, { x: ev.clientX, y: ev.clientY });
      drag = { x: ev.clientX, y: ev.clientY, moved: false, pinch: pointers.size > 1 ? pinchState() : null };
    });
    function pinchState() {
      const [a, b] = Array.from(pointers.values());
      return { d: Math.hypot(a.x - b.x, a.y - b.y) || 1, mx: (a.x + b.x) / 2, my: (a.y + b.y) / 2 };
    }
    svg.addEventListener("pointermove", (ev) => {
      if (!pointers.has(ev.pointerId) || !drag) return;
      const prev = pointers.get(ev.pointerId);
      pointers.set(ev.pointerId, { x: ev.clientX, y: ev.clientY });
      if (pointers.size >= 2) {
        const now = pinchState();
        if (drag.pinch) {
          const p = clientToUser(now.mx, now.my);
          if (p) zoomAt(now.d / drag.pinch.d, p.x, p.y);
        }
        drag.pinch = now; drag.moved = true;
        return;
      }
      if (!drag.moved && Math.hypot(ev.clientX - drag.x, ev.clientY - drag.y) < 5) return;
      if (!drag.moved) { drag.moved = true; try { svg.setPointerCapture(ev.pointerId); } catch (_) { /* pointer gone */ } svg.classList.add("dragging"); }
      const ctm = svg.getScreenCTM();
      if (!ctm || !view) return;
      setView({ x: view.x - (ev.clientX - prev.x) / ctm.a, y: view.y - (ev.clientY - prev.y) / ctm.d, w: view.w, h: view.h });
    });
    const up = (ev) => {
      pointers.delete(ev.pointerId);
      if (drag && drag.moved) { suppressClick = true; setTimeout(() => { suppressClick = false; }, 60); }
      if (pointers.size === 0) { drag = null; svg.classList.remove("dragging"); }
      else if (drag) drag.pinch = null;
    };
    svg.addEventListener("pointerup", up);
    svg.addEventListener("pointercancel", up);
    svg.addEventListener("keydown", (ev) => {
      const step = view ? view.w * 0.15 : 0;
      const keys = {
        "+": () => zoomAt(1.5), "=": () => zoomAt(1.5), "-": () => zoomAt(1 / 1.5), "_": () => zoomAt(1 / 1.5), "0": () => setView(base),
        ArrowLeft: () => setView({ ...view, x: view.x - step }), ArrowRight: () => setView({ ...view, x: view.x + step }),
        ArrowUp: () => setView({ ...view, y: view.y - step }), ArrowDown: () => setView({ ...view, y: view.y + step }),
      };
      const f = keys[ev.key];
      if (f) { ev.preventDefault(); f(); }
    });
    const zb = (id, f) => { const b = document.getElementById(id); if (b) b.addEventListener("click", f); };
    zb("zoom-in", () => zoomAt(1.6));
    zb("zoom-out", () => zoomAt(1 / 1.6));
    zb("zoom-reset", () => setView(base));
    window.addEventListener("resize", () => unitLabels());
  }

  if (svg) {
    svg.addEventListener("click", (ev) => {
      if (suppressClick) { suppressClick = false; return; }
      const ctm = svg.getScreenCTM();
      if (!ctm) return;
      const pt = svg.createSVGPoint();
      pt.x = ev.clientX; pt.y = ev.clientY;
      const p = pt.matrixTransform(ctm.inverse());
      const [lon, lat] = toLonLat(p.x, p.y);
      const li = activePlace && document.body.contains(activePlace) ? activePlace : ($(".place") || placeRow({}));
      setActive(li);
      setMode(li, "at");
      $(".lon", li).value = lon.toFixed(5);
      $(".lat", li).value = lat.toFixed(5);
      $(".crs", li).value = "wgs84";
      $(".lon", li).classList.remove("invalid");
      $(".lat", li).classList.remove("invalid");
      lastPlaced = [$$(".place").indexOf(li) + 1, lon.toFixed(5), lat.toFixed(5)];
      showPlaced();
      drawMarkers();
      scheduleLocate(li);
    });
  }

  function showPlaced() {
    const s = $("#map-status");
    s.textContent = lastPlaced ? I18N[lang].placed(...lastPlaced) : t("map_hint");
  }

  function highlight(decision) {
    for (const u of units.values()) u.path.classList.remove("hit", "court", "cand");
    const seats = svg ? $("#seats", svg) : null;
    if (seats) seats.textContent = "";
    if (!decision) return;
    // Court seats (approximate: a point in the seat unit), as squares.
    for (const c of decision.competent || []) {
      if (!seats || !Array.isArray(c.seat_at)) continue;
      const [x, y] = toXY(c.seat_at[0], c.seat_at[1]);
      const g = document.createElementNS(NS, "g");
      g.setAttribute("class", "seat");
      g.dataset.x = String(x); g.dataset.y = String(y);
      g.setAttribute("transform", markTransform(x, y));
      const r = document.createElementNS(NS, "rect");
      r.setAttribute("x", "-6"); r.setAttribute("y", "-6");
      r.setAttribute("width", "12"); r.setAttribute("height", "12"); r.setAttribute("rx", "2");
      r.setAttribute("data-court-id", c.court.id);
      const title = document.createElementNS(NS, "title");
      title.textContent = courtName(c.court);
      r.append(title);
      g.append(r);
      seats.append(g);
    }
    for (const c of decision.competent || []) {
      for (const g of c.grounds || []) {
        const u = g.unit && units.get(g.unit.adcode);
        if (u) u.path.classList.add("hit");
      }
    }
    const cl = decision.clarification;
    for (const cand of (cl && cl.candidates) || []) {
      const u = cand.unit && units.get(cand.unit.adcode);
      if (u) u.path.classList.add("cand");
    }
  }

  // After routing, the map shows the case: its places, the units of the grounds, the
  // court seats, or the readings of an ambiguous place.
  function zoomToCase(decision) {
    if (!svg || !decision) return;
    const boxes = [];
    const pt = (x, y) => ({ x: x - 4, y: y - 4, w: 8, h: 8 });
    for (const c of decision.competent || []) {
      for (const g of c.grounds || []) if (g.unit) boxes.push(unitBox(g.unit.adcode));
      if (Array.isArray(c.seat_at)) { const [x, y] = toXY(c.seat_at[0], c.seat_at[1]); boxes.push(pt(x, y)); }
    }
    const cl = decision.clarification;
    for (const cand of (cl && cl.candidates) || []) if (cand.unit) boxes.push(unitBox(cand.unit.adcode));
    for (const m of $$("#markers .marker", svg)) boxes.push(pt(+m.dataset.x, +m.dataset.y));
    const box = unionBox(boxes);
    if (box) zoomTo(box);
  }

  // ---------------------------------------------------------------------------------------
  // District search: a name (青浦, 青浦区, Qingpu) or a code; the map zooms to the unit and
  // marks it. Names shared by several units (鼓楼区) list them to choose from; a text no
  // unit name matches is tried as an address (/v1/locate).
  // ---------------------------------------------------------------------------------------
  const PROV = { 31: ["上海", "Shanghai"], 32: ["江苏", "Jiangsu"], 33: ["浙江", "Zhejiang"], 34: ["安徽", "Anhui"] };
  function searchUnits(q) {
    q = q.trim();
    if (!q) return [];
    const ql = q.toLowerCase().replace(/\s+/g, " ");
    const bare = (z) => z.replace(/(自治县|区|县|市)$/, "");
    const hits = [];
    for (const [code, u] of units) {
      const zh = u.zh || "", en = (u.en || "").toLowerCase();
      let score = -1;
      if (code === q) score = 0;
      else if (zh === q || bare(zh) === q || en === ql || en.replace(/ (district|county|city)$/, "") === ql) score = 1;
      else if (zh.startsWith(q) || en.startsWith(ql)) score = 2;
      else if (q.length >= 2 && (zh.includes(q) || (ql.length >= 3 && en.includes(ql)))) score = 3;
      else if (/^\d{2,6}$/.test(q) && code.startsWith(q)) score = 4;
      if (score >= 0) hits.push([score, code]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    const best = hits.length ? hits[0][0] : 0;
    return hits.filter(([sc]) => best > 1 || sc <= 1).slice(0, 12).map(([, c]) => c);
  }
  function unitLabel(code) {
    const u = units.get(code);
    const p = PROV[code.slice(0, 2)];
    const name = u ? (lang === "zh" ? u.zh : `${u.en || u.zh} ${u.zh}`) : code;
    return `${p ? (lang === "zh" ? p[0] : p[1]) + " · " : ""}${name} ${code}`;
  }
  function showUnit(code) {
    for (const u of units.values()) u.path.classList.remove("found");
    const u = units.get(code);
    if (!u) return;
    u.path.classList.add("found");
    u.path.parentNode.append(u.path); // drawn last, so its outline is on top
    zoomTo(unitBox(code));
    $("#search-status").textContent = "→ " + unitLabel(code);
  }
  async function runSearch(ev) {
    if (ev) ev.preventDefault();
    const q = $("#unit-search").value.trim();
    const list = $("#search-results");
    list.textContent = "";
    $("#search-status").textContent = "";
    if (!q || !svg) return;
    let codes = searchUnits(q);
    if (!codes.length) {
      try {
        const r = await fetch("/v1/locate", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ address: q }) });
        const j = await r.json();
        if (j.unit && units.has(j.unit.adcode)) codes = [j.unit.adcode];
        else if (Array.isArray(j.candidates)) codes = j.candidates.map((c) => c.adcode).filter((c) => units.has(c));
      } catch (_) { /* offline: nothing found */ }
    }
    if (!codes.length) { $("#search-status").textContent = t("search_none"); return; }
    showUnit(codes[0]);
    if (codes.length > 1) {
      list.append(el("span", { class: "hint" }, t("search_pick")));
      for (const c of codes) list.append(el("button", { type: "button", class: "chip", "data-code": c, onclick: () => showUnit(c) }, unitLabel(c)));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Submit and render
  // ---------------------------------------------------------------------------------------
  function caseJson() {
    const c = { kind: $("#kind").value, places: $$(".place").map(placeJson) };
    const d = $("#filed-on").value;
    if (d) c.filed_on = d;
    const opt = [["brought-by", "brought_by"], ["agency-level", "defendant_agency_level"], ["admin-subject", "admin_subject"], ["max-penalty", "max_penalty"], ["investigated-by", "investigated_by"]];
    for (const [id, key] of opt) { const v = $("#" + id).value; if (v) c[key] = v; }
    const claim = $("#claim").value;
    if (claim !== "") c.claim_amount_cny = Number(claim);
    const cp = $("#cross-province").value;
    if (cp) c.parties_cross_province = cp === "true";
    if ($("#ship-source").checked) c.ship_source = true;
    const id = $("#case-id").value.trim();
    if (id) c.id = id;
    return c;
  }

  function markField(field) {
    for (const e of $$(".invalid")) e.classList.remove("invalid");
    if (!field) return;
    const m = /^places\[(\d+)\](?:\.(\w+))?/.exec(field);
    if (m) {
      const li = $$(".place")[Number(m[1])];
      if (!li) return;
      const sub = m[2];
      const target = sub === "at" ? [$(".lon", li), $(".lat", li)] : sub === "role" ? [$(".role", li)] : sub === "crs" ? [$(".crs", li)]
        : sub === "code" ? [$(".code", li)] : sub === "address" ? [$(".address", li)] : [$("." + (mode(li) === "at" ? "lon" : mode(li)), li)];
      for (const e of target) if (e) e.classList.add("invalid");
      setActive(li);
      return;
    }
    const ids = { kind: "kind", filed_on: "filed-on", claim_amount_cny: "claim", brought_by: "brought-by", defendant_agency_level: "agency-level", admin_subject: "admin-subject", max_penalty: "max-penalty", investigated_by: "investigated-by", parties_cross_province: "cross-province", id: "case-id" };
    const id = ids[field.split(".")[0]];
    if (id) { $("#" + id).classList.add("invalid"); if ($("#more").contains($("#" + id))) $("#more").open = true; }
  }

  // A case in the address (`#case=<JSON>`) fills the form and is routed: links can be shared.
  function fillFromCase(c) {
    $("#places").textContent = "";
    placeSeq = 0;
    if (c.kind) $("#kind").value = c.kind;
    $("#filed-on").value = c.filed_on || "";
    const opt = { brought_by: "brought-by", defendant_agency_level: "agency-level", admin_subject: "admin-subject", max_penalty: "max-penalty", investigated_by: "investigated-by" };
    for (const [key, id] of Object.entries(opt)) $("#" + id).value = c[key] || "";
    $("#claim").value = c.claim_amount_cny === undefined ? "" : String(c.claim_amount_cny);
    $("#cross-province").value = c.parties_cross_province === undefined ? "" : String(c.parties_cross_province);
    $("#ship-source").checked = !!c.ship_source;
    $("#case-id").value = c.id === undefined ? "" : String(c.id);
    if (Object.keys(opt).some((k) => c[k]) || c.claim_amount_cny !== undefined || c.parties_cross_province !== undefined || c.ship_source) $("#more").open = true;
    for (const p of Array.isArray(c.places) ? c.places : []) {
      if (Array.isArray(p.at)) placeRow({ role: p.role, mode: "at", lon: p.at[0], lat: p.at[1], crs: p.crs });
      else if (p.code !== undefined) placeRow({ role: p.role, mode: "code", code: String(p.code) });
      else placeRow({ role: p.role, mode: "address", address: p.address || "" });
    }
    if (!$(".place")) placeRow({ mode: "address" });
    setActive($(".place"));
  }

  function caseFromHash() {
    const h = location.hash;
    if (!h.startsWith("#case=")) return null;
    try { return JSON.parse(decodeURIComponent(h.slice(6))); } catch (_) { return null; }
  }

  async function submit(ev) {
    if (ev) ev.preventDefault();
    const btn = $("#submit");
    btn.disabled = true;
    const body = $("#result-body");
    body.textContent = "";
    body.append(el("p", { class: "hint" }, t("routing")));
    try {
      const c = caseJson();
      lastCase = c;
      whyNot = null;
      try { history.replaceState(null, "", "#case=" + encodeURIComponent(JSON.stringify(c))); } catch (_) { /* file: URLs */ }
      const r = await fetch("/v1/route", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(c) });
      const j = await r.json();
      if (j.error) { lastDecision = null; lastError = j.error; markField(j.error.field); }
      else { lastDecision = j; lastError = null; markField(null); }
    } catch (e) {
      lastDecision = null;
      lastError = { code: "network", message: I18N.en.err.network, field: null };
    } finally {
      btn.disabled = false;
    }
    render();
    highlight(lastDecision);
    zoomToCase(lastDecision);
    if (window.matchMedia("(max-width: 1179px)").matches) $("#result").scrollIntoView({ behavior: ev ? "smooth" : "auto", block: "start" });
  }

  const colon = () => (lang === "zh" ? "：" : ": ");
  const pick = (text) => (text ? (lang === "zh" ? text.zh : text.en) : "");
  const courtName = (c) => (lang === "zh" ? c.name_zh : c.name_en);
  const courtAlt = (c) => (lang === "zh" ? c.name_en : c.name_zh);

  function sourceItem(s) {
    const label = s.title || s.key;
    const url = s.url && /^https?:\/\//.test(s.url) ? s.url : null;
    return el("li", {}, url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, label) : label,
      " ", el("span", { class: "rule-id" }, s.key), s.url && !url ? el("div", {}, s.url) : null);
  }

  function renderGround(g) {
    const unit = g.unit ? `${g.unit.name} ${g.unit.adcode}` : (g.feature ? `${t("feature")} ${g.feature}` : "");
    return el("li", { class: "ground", "data-rule": g.rule },
      el("div", { class: "ground-head" },
        el("b", {}, roleName(lastDecision ? lastDecision.kind : $("#kind").value, g.factor)),
        g.subsidiary ? el("span", { class: "court-alt" }, t("subsidiary")) : null,
        el("span", {}, `${t("place")} ${g.place}${colon()}${g.place_text}`),
        unit && !(g.unit && g.place_text.includes(g.unit.name)) ? el("span", { class: "court-alt" }, unit) : null,
        el("span", { class: "badge" }, (I18N[lang].route_levels[g.level] || g.level)),
        el("span", { class: "badge" + (g.confidence === "uncertain" ? " uncertain" : "") }, t(g.confidence)),
      ),
      el("p", { class: "summary" }, pick(g.summary)),
      el("div", {}, `${t("rule")}${colon()}`, ...g.rules.map((r, i) => [i ? " → " : "", el("span", { class: "rule-id" + (r === g.rule ? " main" : "") }, r)])),
      g.sources && g.sources.length ? el("ul", { class: "sources", "aria-label": t("sources") }, g.sources.map(sourceItem)) : null,
    );
  }

  function renderCourt(c) {
    const lvl = I18N[lang].court_levels[c.court.level] || c.court.level;
    return el("article", { class: "court", "data-court-id": c.court.id },
      el("div", { class: "court-head" },
        el("h3", { class: "court-name" }, courtName(c.court)),
        el("span", { class: "badge" }, lvl)),
      el("div", { class: "court-alt" }, courtAlt(c.court), " · ", el("span", { class: "rule-id" }, c.court.id)),
      el("dl", { class: "facts" },
        el("dt", {}, t("tribunal")), el("dd", { class: "tribunal" }, c.tribunal ? `${lang === "zh" ? c.tribunal.name_zh : c.tribunal.name_en}` : "—"),
        el("dt", {}, t("appeal")), el("dd", { class: "appeal", "data-court-id": c.appeal_court ? c.appeal_court.id : null }, c.appeal_court ? courtName(c.appeal_court) : "—"),
      ),
      el("div", { class: "court-alt" }, t("grounds")),
      el("ol", { class: "grounds" }, c.grounds.map(renderGround)),
    );
  }

  // ---------------------------------------------------------------------------------------
  // Errors in the page's language: the API's own text in that language when it sends one
  // (`messages: {en, zh}`, or `message` as such an object); otherwise, in Chinese, a text
  // chosen from the error code (and, for a case error, from the shape of the English
  // message), so the Chinese page never shows an English sentence.
  // ---------------------------------------------------------------------------------------
  function zhEnumValue(v) {
    for (const list of [ENUMS.kind, ENUMS.role]) { const hit = list.find(([k]) => k === v); if (hit) return hit[1]; }
    return null;
  }
  function ticked(msg) { return Array.from(String(msg || "").matchAll(/`([^`]*)`/g), (m) => m[1]); }
  function caseErrorText(e) {
    const E = I18N[lang].err;
    const msg = String(e.message || "");
    const names = (vs) => vs.map((v) => (lang === "zh" ? zhEnumValue(v) : null) || v).join(lang === "zh" ? "、" : ", ");
    let m = /^a `([a-z_]+)` case needs a place with role (.*) \(missing\); the case has (.*)$/.exec(msg);
    if (m) {
      const kind = m[1];
      const want = ticked(m[2]).map((r) => roleName(kind, r));
      const have = ticked(m[3]).map((r) => roleName(kind, r));
      return E.needs_role(lang === "zh" ? (zhEnumValue(kind) || "") : kind.replace(/_/g, " "), want.join(lang === "zh" ? "、" : ", "), have.join(lang === "zh" ? "、" : ", "));
    }
    m = /^`filed_on` (\S+) is before the earliest rule of the rule set \((\S+)\)/.exec(msg);
    if (m) return E.earliest(m[1], m[2]);
    if (/^`places` is empty/.test(msg)) return E.places_empty;
    if (/^`claim_amount_cny`/.test(msg)) return E.claim;
    m = /^place #(\d+) .*unknown code `([^`]*)`(?: \(nearest known codes: (.*)\))?/.exec(msg);
    if (m) {
      const near = m[3] ? m[3].split(/,\s*/).map((x) => x.replace(/`/g, "").trim()).filter(Boolean) : [];
      return E.place_code(m[1]) + " " + E.values + m[2] + (near.length ? (lang === "zh" ? "；" : "; ") + E.nearest + near.join(lang === "zh" ? "、" : ", ") : "");
    }
    return E.invalid_case + valuesText(msg);
  }
  // The values quoted in the English message that mean something in any language (numbers,
  // dates, Chinese text, known kind and role names), never English words.
  function valuesText(msg) {
    const vs = [];
    for (const v of ticked(msg)) {
      const z = lang === "zh" ? zhEnumValue(v) : null;
      const w = z || (/^[\d.,:+\-\s\[\]]+$/.test(v) || /[\u3400-\u9fff]/.test(v) ? v : null);
      if (w && !vs.includes(w)) vs.push(w);
    }
    return vs.length ? " " + I18N[lang].err.values + vs.join(lang === "zh" ? "、" : ", ") : "";
  }
  // In a Chinese text from the API, quoted kind, role and field names become their Chinese
  // names (`agency` → 「行政机关所在地」); other quoted values lose their backticks.
  function localTicks(text) {
    if (lang !== "zh") return text;
    return String(text).replace(/ ?`([^`]*)` ?/g, (all, v) => {
      const z = zhEnumValue(v) || (I18N.zh.fields[v] !== undefined ? I18N.zh.fields[v] : null);
      return z ? `「${z}」` : all.replace(/`/g, "");
    });
  }
  function errorText(e) {
    if (!e) return "";
    const api = e.messages && typeof e.messages === "object" && typeof e.messages[lang] === "string" ? e.messages[lang]
      : e.message && typeof e.message === "object" && typeof e.message[lang] === "string" ? e.message[lang] : "";
    // A Chinese text that still carries an English phrase is replaced by the page's own.
    if (api && (lang !== "zh" || !/[A-Za-z]{2,}[\s,.;:()]+[A-Za-z]{2,}/.test(localTicks(api)))) return localTicks(api);
    if (lang === "en" && typeof e.message === "string" && e.message) return e.message;
    if (e.code === "invalid_case") return caseErrorText(e);
    const E = I18N[lang].err;
    const base = typeof E[e.code] === "string" ? E[e.code] : E.other;
    return base + valuesText(e.message);
  }
  // `places[0].code` → "地点 1 · 代码".
  function fieldText(field) {
    const F = I18N[lang].fields;
    const m = /^places\[(\d+)\](?:\.(\w+))?/.exec(field);
    if (m) return I18N[lang].field_place(Number(m[1]) + 1) + (m[2] && F[m[2]] ? " · " + F[m[2]] : "");
    const top = field.split(/[.[]/)[0];
    return F[top] || (lang === "zh" ? "" : field);
  }

  // Court names by id, for the readings of an ambiguous place (GET /v1/courts, once).
  const courtsById = new Map();
  async function loadCourts() {
    try {
      const r = await fetch("/v1/courts");
      const j = await r.json();
      const list = Array.isArray(j) ? j : (Array.isArray(j.courts) ? j.courts : []);
      for (const c of list) if (c && c.id) courtsById.set(c.id, c);
      if (lastDecision && lastDecision.clarification) render();
    } catch (_) { /* ids are shown instead */ }
  }
  function courtById(id) {
    const c = courtsById.get(id);
    return c ? courtName(c) || id : id;
  }

  // The readings of an ambiguous place as buttons; a click routes the case again with the
  // place given by that unit's code.
  function renderClarification(cl) {
    const box = el("div", { class: "clarify", "data-place": String(cl.place) },
      el("p", {}, I18N[lang].clarify_q(cl.place)));
    for (const cand of cl.candidates || []) {
      const u = cand.unit || {};
      const courts = cand.courts || [];
      box.append(el("button", { type: "button", class: "cand", "data-code": u.adcode, onclick: () => pickReading(cl.place, u.adcode) },
        el("span", { class: "cand-unit" }, unitLabel(u.adcode || "")),
        el("span", { class: "cand-courts" }, courts.length ? `${t("clarify_gives")} ${courts.map(courtById).join(lang === "zh" ? "、" : "; ")}` : t("clarify_none"))));
    }
    return box;
  }
  function pickReading(n, code) {
    const li = $$(".place")[n - 1];
    if (!li || !code) return;
    setMode(li, "code");
    $(".code", li).value = code;
    setActive(li);
    scheduleLocate(li);
    submit(null);
  }

  // "Why not this court?": the case routed again with `why_not: [court]`; the answer names
  // every rule that could have given that court and why it did not apply.
  let whyNot = null; // { asked, answer | error }
  function renderWhyNot() {
    const list = el("datalist", { id: "why-not-courts" },
      Array.from(courtsById.values()).map((c) => el("option", { value: courtName(c) })));
    const input = el("input", { type: "text", id: "why-not-court", list: "why-not-courts", autocomplete: "off", placeholder: t("why_not_ph"), value: whyNot ? whyNot.asked : "" });
    const form = el("form", { class: "why-not-form", onsubmit: (ev) => { ev.preventDefault(); askWhyNot(input.value); } },
      input, el("button", { type: "submit", class: "ghost" }, t("why_not_btn")));
    const box = el("details", { class: "why-not", id: "why-not" }, el("summary", {}, t("why_not")), form, list);
    if (whyNot) {
      box.open = true;
      if (whyNot.error) box.append(el("div", { class: "error-box", role: "alert", "data-error-code": whyNot.error.code }, errorText(whyNot.error)));
      else if (whyNot.answer) {
        const a = whyNot.answer;
        const c = courtsById.get(a.court);
        box.append(el("div", { class: "why-not-answer", "data-court-id": a.court, "data-competent": String(!!a.competent) },
          el("b", {}, `${c ? courtName(c) : a.court_name} · ${a.competent ? t("why_competent") : t("why_not_competent")}`),
          el("p", { class: "summary" }, pick(a.summary)),
          el("ul", { class: "why-rules" }, (a.rules || []).map((r) => el("li", { "data-reason": r.reason ? r.reason.code : null },
            el("span", { class: "rule-id" }, r.rule), " ", r.reason ? (lang === "zh" ? r.reason.zh : r.reason.en) : "")))));
      }
    }
    return box;
  }
  async function askWhyNot(name) {
    const q = String(name || "").trim();
    if (!q || !lastCase) return;
    whyNot = { asked: q };
    try {
      const r = await fetch("/v1/route", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ...lastCase, why_not: [q] }) });
      const j = await r.json();
      if (j.error) whyNot.error = j.error;
      else if (Array.isArray(j.why_not) && j.why_not.length) whyNot.answer = j.why_not[0];
      else whyNot.error = { code: "other", message: "" };
    } catch (_) {
      whyNot.error = { code: "network", message: "" };
    }
    render();
  }

  function render() {
    const body = $("#result-body");
    body.textContent = "";
    $("#print").hidden = !lastDecision;
    if (lastError) {
      body.append(el("div", { class: "error-box", role: "alert", "data-error-code": lastError.code, "data-field": lastError.field || null },
        el("b", {}, t("error")), el("div", { class: "error-text" }, errorText(lastError)),
        lastError.field && fieldText(lastError.field) ? el("div", {}, `${t("field")}${lang === "zh" ? "：" : ": "}`, el("span", { class: "field-name" }, fieldText(lastError.field))) : null));
      renderRecord();
      return;
    }
    const d = lastDecision;
    if (!d) { body.append(el("p", { class: "hint" }, t("result_empty"))); renderRecord(); return; }
    const routed = d.status === "routed";
    const clarify = d.status === "needs_clarification";
    body.append(el("p", { class: "status" + (routed ? "" : " none"), "data-status": d.status },
      routed ? I18N[lang].n_courts(d.competent.length) : clarify ? t("needs_clarification") : t("no_court")));
    if (!routed && d.no_court_reason) body.append(el("p", {}, pick(d.no_court_reason)));
    if (clarify && d.clarification) body.append(renderClarification(d.clarification));
    if (routed) {
      body.append(el("div", { class: "relation", "data-relation": d.relation.kind },
        el("b", {}, `${t("relation")}${colon()}${I18N[lang].rel[d.relation.kind] || d.relation.kind}`),
        el("div", {}, pick(d.relation.text)),
        d.relation.rules.length ? el("div", {}, `${t("rule")}${colon()}`, ...d.relation.rules.map((r, i) => [i ? ", " : "", el("span", { class: "rule-id" }, r)])) : null));
    }
    for (const c of d.competent) body.append(renderCourt(c));
    if (!clarify) body.append(renderWhyNot());
    if (d.warnings.length) {
      body.append(el("h3", {}, t("warnings")));
      body.append(el("ul", { class: "warnings" }, d.warnings.map((w) => el("li", { "data-warning": w.code },
        pick(w.message),
        w.rule ? [" ", el("span", { class: "rule-id" }, w.rule)] : null,
        w.place ? (lang === "zh" ? `（${t("place")} ${w.place}）` : ` (${t("place")} ${w.place})`) : null))));
    }
    body.append(el("p", { class: "meta" }, `${t("filed_used")}${colon()}${d.filed_on} · ${t("versions")}${colon()}${d.rules_version} / ${d.geodata_version}`));
    body.append(el("details", { class: "raw" }, el("summary", {}, t("raw")), el("pre", {}, JSON.stringify(d, null, 2))));
    renderRecord();
  }

  // ---------------------------------------------------------------------------------------
  // The printable decision record: the case as entered, then the answer with its grounds and
  // sources (the result panel), the versions of the program, rules and geodata, and the date
  // (print stylesheet in app.css: A4, no form, no map controls).
  // ---------------------------------------------------------------------------------------
  function renderRecord() {
    const rec = $("#record");
    if (!rec) return;
    rec.textContent = "";
    const d = lastDecision;
    if (!d) return;
    const foot = $(".foot");
    const now = new Date();
    const p2 = (n) => String(n).padStart(2, "0");
    const stamp = `${now.getFullYear()}-${p2(now.getMonth() + 1)}-${p2(now.getDate())} ${p2(now.getHours())}:${p2(now.getMinutes())}`;
    const c = lastCase || {};
    const rows = [
      [t("case_id"), d.case_id || "—"],
      [t("kind"), enumName("kind", d.kind)],
      [t("filed_on"), c.filed_on || d.filed_on],
      [t("filed_used"), d.filed_on],
    ];
    (c.places || []).forEach((pl, i) => {
      const where = pl.address !== undefined ? pl.address : pl.code !== undefined ? pl.code : Array.isArray(pl.at) ? `${pl.at[0]}, ${pl.at[1]} (${pl.crs || "wgs84"})` : "";
      rows.push([`${t("place")} ${i + 1}`, `${roleName(d.kind, pl.role)}${lang === "zh" ? "：" : ": "}${where}`]);
    });
    const answer = d.status === "routed"
      ? `${I18N[lang].n_courts(d.competent.length)}${lang === "zh" ? "：" : ": "}${d.competent.map((x) => courtName(x.court)).join(lang === "zh" ? "、" : "; ")}`
      : d.status === "needs_clarification" ? t("needs_clarification") : t("no_court");
    rows.push([t("answer"), answer]);
    if (d.status === "routed") rows.push([t("relation"), I18N[lang].rel[d.relation.kind] || d.relation.kind]);
    rows.push([t("engine_v"), foot ? foot.dataset.version || "" : ""]);
    rows.push([t("rules_v"), d.rules_version]);
    rows.push([t("geo_v"), d.geodata_version]);
    rows.push([t("printed"), stamp]);
    rec.append(el("h2", {}, t("record")),
      el("dl", { class: "facts record-facts" }, rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])));
  }

  // ---------------------------------------------------------------------------------------
  // Language
  // ---------------------------------------------------------------------------------------
  function applyLang(l) {
    lang = l;
    try { localStorage.setItem("ecojuris.lang", l); } catch (_) { /* private mode */ }
    document.documentElement.lang = l === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    for (const b of $$(".lang button")) b.setAttribute("aria-pressed", String(b.dataset.lang === l));
    for (const e of $$("[data-i18n]")) { const v = t(e.dataset.i18n); if (typeof v === "string") e.textContent = v; }
    for (const e of $$("[data-i18n-ph]")) { e.placeholder = t(e.dataset.i18nPh); if (e.hasAttribute("aria-label")) e.setAttribute("aria-label", t(e.dataset.i18nPh)); }
    for (const b of $$(".place .remove")) { b.title = t("remove"); b.setAttribute("aria-label", t("remove")); }
    fillSelect($("#kind"), ENUMS.kind);
    for (const s of $$("select[data-enum]")) fillSelect(s, ENUMS[s.dataset.enum]);
    for (const s of $$(".place .role")) fillSelect(s, rolesFor($("#kind").value, s.value));
    for (const s of $$(".place .crs")) fillSelect(s, ENUMS.crs);
    if (svg) for (const tx of $$(".labels text", svg)) tx.textContent = l === "zh" ? tx.dataset.zh : (tx.dataset.en || tx.dataset.zh);
    showPlaced();
    for (const li of $$(".place")) scheduleLocate(li);
    unitLabels();
    const found = svg && $(".units path.found", svg);
    if (found) $("#search-status").textContent = "→ " + unitLabel(found.dataset.code);
    for (const b of $$("#search-results .chip")) b.textContent = unitLabel(b.dataset.code);
    for (const [id, k] of [["zoom-in", "zoom_in"], ["zoom-out", "zoom_out"], ["zoom-reset", "zoom_reset"]]) {
      const b = document.getElementById(id);
      if (b) { b.title = t(k); b.setAttribute("aria-label", t(k)); }
    }
    render();
  }

  function todayIso() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  }

  function reset() {
    $("#case-form").reset();
    $("#places").textContent = "";
    placeSeq = 0;
    $("#kind").value = "civil";
    setActive(placeRow({ mode: "address" }));
    $("#filed-on").value = todayIso();
    try { history.replaceState(null, "", location.pathname); } catch (_) { /* file: URLs */ }
    lastDecision = null; lastError = null; lastPlaced = null;
    showPlaced();
    markField(null);
    highlight(null);
    lastCase = null;
    if (svg) { for (const u of units.values()) u.path.classList.remove("found"); setView(base); }
    $("#search-results").textContent = "";
    $("#search-status").textContent = "";
    render();
  }

  function init() {
    fillSelect($("#kind"), ENUMS.kind);
    for (const s of $$("select[data-enum]")) fillSelect(s, ENUMS[s.dataset.enum]);
    $("#kind").value = "civil";
    $("#filed-on").value = todayIso();
    $("#filed-on").max = "2100-12-31";
    setActive(placeRow({ mode: "address" }));
    $("#add-place").addEventListener("click", () => setActive(placeRow({ mode: "at" })));
    $("#kind").addEventListener("change", () => { adaptRoles(); for (const li of $$(".place")) scheduleLocate(li); });
    $("#case-form").addEventListener("submit", submit);
    $("#reset").addEventListener("click", reset);
    for (const b of $$(".lang button")) b.addEventListener("click", () => applyLang(b.dataset.lang));
    $("#map-search").addEventListener("submit", runSearch);
    $("#print").addEventListener("click", () => window.print());
    window.addEventListener("beforeprint", renderRecord);
    loadCourts();
    applyLang(lang);
    const shared = caseFromHash();
    if (shared) { fillFromCase(shared); submit(null); }
    document.body.dataset.ready = "1";
  }

  init();
})();
