//! The error catalogue: every user-facing error sentence of the input layer, admission, the
//! command line, the address tables and the HTTP API, in English and Chinese.
//!
//! Errors are built in English where they are detected (their `Display` stays English for
//! library users and logs); this table gives the Chinese of each sentence. An entry is an
//! English template whose `{}` holes match the values of the sentence (names, codes and
//! values in backticks, numbers, nested sentences) and the Chinese with `{0}`, `{1}`, … in
//! its place. A hole that is itself a catalogued sentence is translated too, so
//! "place #2 (`result`): unknown code `x`" comes out whole. Values in backticks stay as
//! written. The first matching entry wins: more specific templates come first.
//!
//! The one place where the wording of an error is translated; `tests` below checks that the
//! errors users meet come out in Chinese.

use crate::model::Text;

use super::Lang;

/// Whole sentences: (English template, Chinese template).
const SENTENCES: &[(&str, &str)] = &[
    // Why an address may mean a unit (`address`; `locate --address` candidates).
    (
        "{}, which is not in {} named earlier in the address",
        "{0}，但不在地址前文所写的{1}内",
    ),
    (
        "{} is the former {} ({}, until {}), which was split; part of it is now {} ({}) in {}",
        "{0} 为原{1}（{2}，{3}止），已拆分，其一部分现为{6}{4}（{5}）",
    ),
    (
        "{} is the former prefecture {} ({}, until {}), which contained what is now {} ({}) in {}",
        "{0} 为原{1}（{2}，{3}止），其辖域含现{6}{4}（{5}）",
    ),
    (
        "{} is the former {} ({}, until {}), now {} ({}) in {}",
        "{0} 为原{1}（{2}，{3}止），现为{6}{4}（{5}）",
    ),
    (
        "{} names the development zone {}, which lies partly in {} ({}) in {}",
        "{0} 指开发区{1}，其部分位于{4}{2}（{3}）",
    ),
    (
        "{} names the development zone {}, which lies in {} ({}) in {}",
        "{0} 指开发区{1}，位于{4}{2}（{3}）",
    ),
    ("{} names {} ({}) in {}", "{0} 指{3}{1}（{2}）"),
    // Positions and wrappers.
    ("in {} line {} column {}: {}", "{0} 第 {1} 行第 {2} 列：{3}"),
    ("in {} line {}: {}", "{0} 第 {1} 行：{2}"),
    ("in {} table line {}: {}", "{0} 表第 {1} 行：{2}"),
    ("in code table line {}: {}", "代码表第 {0} 行：{1}"),
    ("in {}: {}", "{0}：{1}"),
    ("{} (did you mean {}?)", "{0}（是否想输入 {1}？）"),
    (
        "{} (nearest known codes: {})",
        "{0}（最接近的已知代码：{1}）",
    ),
    (
        "unknown code {}: codes have 6 digits (province, city, county) or 9 (town)",
        "未知代码 {0}：代码为 6 位（省、市、县）或 9 位（乡镇）",
    ),
    ("geodata: {}", "地理数据：{0}"),
    ("cannot read {}: {}", "无法读取 {0}：{1}"),
    // Case documents (input/).
    (
        "`places` is empty: give at least one place with a role",
        "`places` 为空：请至少给出一个带角色的地点",
    ),
    ("place #{} ({}): {}", "第 {0} 个地点（{1}）：{2}"),
    (
        "give exactly one of `at`, `code` or `address` (found {}); an `address` may accompany `at` or `code` as a cross-check",
        "`at`、`code`、`address` 须且只须给出其一（现为{0}）；`address` 可与 `at` 或 `code` 同时给出，用于核对",
    ),
    (
        "give exactly one of `at`, `code` or `address` (found {})",
        "`at`、`code`、`address` 须且只须给出其一（现为{0}）",
    ),
    (
        "`at` must be `[lon, lat]`, found {} numbers",
        "`at` 须为 `[经度, 纬度]`，现有 {0} 个数",
    ),
    (
        "`at` must be `[lon, lat]`, two numbers",
        "`at` 须为 `[经度, 纬度]` 两个数",
    ),
    ("`crs` applies to `at` only", "`crs` 只适用于 `at`"),
    (
        "`crs` must be a string: wgs84, gcj02 or bd09",
        "`crs` 须为字符串：wgs84、gcj02 或 bd09",
    ),
    (
        "`code` must be a string of digits such as `310118`",
        "`code` 须为数字字符串，如 `310118`",
    ),
    ("`address` must be a string", "`address` 须为字符串"),
    (
        "`claim_amount_cny` must be a non-negative number, found {}",
        "`claim_amount_cny` 须为非负数，现为 {0}",
    ),
    // serde messages (case documents, JSON bodies, batch lines).
    (
        "unknown field {}, expected one of {}",
        "未知字段 {0}，应为以下之一：{1}",
    ),
    ("unknown field {}, expected {}", "未知字段 {0}，应为 {1}"),
    (
        "unknown field {}, there are no fields",
        "未知字段 {0}，此处不接受字段",
    ),
    (
        "unknown variant {}, expected one of {}",
        "未知取值 {0}，应为以下之一：{1}",
    ),
    ("unknown variant {}, expected {}", "未知取值 {0}，应为 {1}"),
    ("missing field {}", "缺少字段 {0}"),
    ("duplicate field {}", "字段重复：{0}"),
    ("invalid type: {}, expected {}", "类型无效：{0}，应为 {1}"),
    ("invalid value: {}, expected {}", "取值无效：{0}，应为 {1}"),
    ("invalid length {}, expected {}", "长度无效：{0}，应为 {1}"),
    (
        "invalid date {} (expected YYYY-MM-DD)",
        "日期 {0} 无效（应为 YYYY-MM-DD）",
    ),
    ("expected value", "此处应为一个值"),
    ("expected ident", "此处应为 true、false 或 null"),
    ("expected `:`", "此处应为 `:`"),
    ("expected `,` or `}`", "此处应为 `,` 或 `}`"),
    ("expected `,` or `]`", "此处应为 `,` 或 `]`"),
    ("EOF while parsing a value", "解析值时内容意外结束"),
    ("EOF while parsing an object", "解析对象时内容意外结束"),
    ("EOF while parsing a list", "解析数组时内容意外结束"),
    ("EOF while parsing a string", "解析字符串时内容意外结束"),
    ("key must be a string", "键须为字符串"),
    ("trailing characters", "末尾有多余字符"),
    ("trailing comma", "末尾有多余逗号"),
    ("invalid number", "数字无效"),
    ("invalid escape", "转义序列无效"),
    ("number out of range", "数字超出范围"),
    (
        "duplicate key {}: give each key once",
        "键 {0} 重复：每个键只能给出一次",
    ),
    // Admission (eval/admit.rs).
    (
        "the case has {} places, more than the limit of {} places per case",
        "本案有 {0} 个地点，超过每案 {1} 个地点的上限",
    ),
    (
        "`filed_on` {} is before the earliest rule of the rule set ({})",
        "`filed_on` {0} 早于规则集中最早的规则（{1}）",
    ),
    (
        "a {} case needs a place with role {} (missing); the case has {}",
        "{0} 案件需要一个角色为 {1} 的地点（本案没有）；本案的地点角色为 {2}",
    ),
    // Places (input/place.rs, spatial).
    (
        "unknown coordinate system {} (expected wgs84, gcj02 or bd09)",
        "未知坐标系 {0}（应为 wgs84、gcj02 或 bd09）",
    ),
    (
        "unknown crs {} (expected wgs84, gcj02 or bd09)",
        "未知坐标系 {0}（应为 wgs84、gcj02 或 bd09）",
    ),
    (
        "invalid point {}: expected `LON,LAT`, e.g. `121.12,31.15`",
        "点 {0} 无效：应为 `经度,纬度`，例如 `121.12,31.15`",
    ),
    (
        "invalid longitude {} in point {}: not a number",
        "点 {1} 中的经度 {0} 无效：不是数字",
    ),
    (
        "invalid latitude {} in point {}: not a number",
        "点 {1} 中的纬度 {0} 无效：不是数字",
    ),
    (
        "invalid longitude {} in column {}: not a number",
        "列 {1} 中的经度 {0} 无效：不是数字",
    ),
    (
        "invalid latitude {} in column {}: not a number",
        "列 {1} 中的纬度 {0} 无效：不是数字",
    ),
    (
        "invalid longitude {} in column {}",
        "列 {1} 中的经度 {0} 无效",
    ),
    (
        "invalid latitude {} in column {}",
        "列 {1} 中的纬度 {0} 无效",
    ),
    ("invalid point {}: {}", "点 {0} 无效：{1}"),
    ("invalid coordinate {}: {}", "坐标 {0} 无效：{1}"),
    // Impossible coordinates (input::place::check_lonlat).
    ("latitude {} is not a finite number", "纬度 {0} 不是有限数"),
    ("longitude {} is not a finite number", "经度 {0} 不是有限数"),
    ("latitude {} is outside ±90", "纬度 {0} 超出 ±90"),
    ("longitude {} is outside ±180", "经度 {0} 超出 ±180"),
    (
        "latitude {} is outside ±90 (did you swap longitude and latitude? did you mean {}?)",
        "纬度 {0} 超出 ±90（是否把经度和纬度写反了？是否想输入 {1}？）",
    ),
    (
        "longitude {} is outside ±180 (did you swap longitude and latitude? did you mean {}?)",
        "经度 {0} 超出 ±180（是否把经度和纬度写反了？是否想输入 {1}？）",
    ),
    ("unknown code {}", "未知代码 {0}"),
    // Batch rows (input/row.rs) and inputs (cli/batch.rs, cli/locate.rs).
    ("unknown column {} (known: {})", "未知列 {0}（已知列：{1}）"),
    (
        "the header has no `kind` column; found {}",
        "表头没有 `kind` 列；现有 {0}",
    ),
    (
        "give both `lon` and `lat` columns, or neither",
        "`lon` 与 `lat` 两列须同时给出或都不给出",
    ),
    (
        "give both `defendant_lon` and `defendant_lat` columns, or neither",
        "`defendant_lon` 与 `defendant_lat` 两列须同时给出或都不给出",
    ),
    (
        "the header needs a place: `lon,lat` (optional `crs`), `code` or `address`; found {}",
        "表头须有一个地点：`lon,lat`（可选 `crs`）、`code` 或 `address`；现有 {0}",
    ),
    (
        "the header must have columns `id,lon,lat` (optional `crs`) or `id,address`; found {}",
        "表头须有 `id,lon,lat`（可选 `crs`）或 `id,address` 列；现有 {0}",
    ),
    (
        "missing column(s): the row has {} field(s), the header {}",
        "缺少列：该行有 {0} 个字段，表头有 {1} 个",
    ),
    (
        "extra field(s): the row has {} field(s), the header {}",
        "多余字段：该行有 {0} 个字段，表头有 {1} 个",
    ),
    (
        "unknown case kind {} (expected one of {})",
        "未知案件类型 {0}（应为以下之一：{1}）",
    ),
    (
        "invalid `filed_on` {} (expected YYYY-MM-DD)",
        "`filed_on` {0} 无效（应为 YYYY-MM-DD）",
    ),
    (
        "unknown role {} (expected one of {})",
        "未知角色 {0}（应为以下之一：{1}）",
    ),
    (
        "no place: fill `lon,lat`, `code` or `address`",
        "没有地点：请填写 `lon,lat`、`code` 或 `address`",
    ),
    ("give both `lon` and `lat`", "`lon` 与 `lat` 须同时给出"),
    (
        "give both `defendant_lon` and `defendant_lat`",
        "`defendant_lon` 与 `defendant_lat` 须同时给出",
    ),
    (
        "give only one place: `lon,lat` or `code` (an `address` beside them is cross-checked)",
        "只能给出一个地点：`lon,lat` 或 `code`（同时给出的 `address` 用于核对）",
    ),
    (
        "give either `defendant_code` or `defendant_lon,defendant_lat`, not both",
        "`defendant_code` 与 `defendant_lon,defendant_lat` 只能给出其一",
    ),
    (
        "malformed JSON at line {} column {}: {}",
        "JSON 格式错误（第 {0} 行第 {1} 列）：{2}",
    ),
    ("malformed JSON: {}", "JSON 格式错误：{0}"),
    ("malformed CSV row: {}", "CSV 行格式错误：{0}"),
    ("cannot read the header row: {}", "无法读取表头：{0}"),
    (
        "cannot tell the format of {} from its extension: give `--input-format csv` or `jsonl`",
        "无法从扩展名判断 {0} 的格式：请给出 `--input-format csv` 或 `jsonl`",
    ),
    (
        "cannot tell the output format of {} from its extension: give `--output-format csv` or `jsonl`",
        "无法从扩展名判断 {0} 的输出格式：请给出 `--output-format csv` 或 `jsonl`",
    ),
    (
        "`--full` writes whole decisions, which needs JSONL output (`--output-format jsonl` or a `.jsonl` file)",
        "`--full` 输出完整决定，须用 JSONL 输出（`--output-format jsonl` 或 `.jsonl` 文件）",
    ),
    // Command line (cli/).
    (
        "give a case file, or `--kind` with at least one place (`--conduct`, `--result`, `--domicile`, `--agency`, …)",
        "请给出案件文件，或给出 `--kind` 及至少一个地点（`--conduct`、`--result`、`--domicile`、`--agency` 等）",
    ),
    (
        "give one of `--at`, `--code`, `--address` or `--input`",
        "请给出 `--at`、`--code`、`--address` 或 `--input` 之一",
    ),
    (
        "invalid {} (expected YYYY-MM-DD)",
        "{0} 无效（应为 YYYY-MM-DD）",
    ),
    ("unknown agency level {}", "未知机关级别 {0}"),
    ("unknown court {}", "未知法院 {0}"),
    ("`--why-not`: {}", "`--why-not`：{0}"),
    ("no court matches the filters", "没有符合筛选条件的法院"),
    ("no source matches the filters", "没有符合筛选条件的来源"),
    ("unknown source {}", "未知来源 {0}"),
    ("no cases found in {}", "{0} 中没有案件"),
    (
        "invalid `--tolerance {}`: give metres between 0 and 5000",
        "`--tolerance {0}` 无效：请给出 0 至 5000 之间的米数",
    ),
    (
        "{} has no effect on {}: {}; drop the flag",
        "{0} 对 {1} 无效（{2}）；请去掉该参数",
    ),
    (
        "refusing to write {}: it is the input {} (the same file{}); give another output file",
        "拒绝写入 {0}：它就是输入文件 {1}（同一文件{2}）；请另选输出文件",
    ),
    (
        "cannot write {}: it is a directory; give a file name",
        "无法写入 {0}：它是目录；请给出文件名",
    ),
    ("interrupted: {} was not written", "已中断：未写入 {0}"),
    ("no output was written", "未写入任何输出"),
    ("cannot listen on {}", "无法监听 {0}"),
    (
        "invalid `--max-response {}`: give MiB, 1 to 1024",
        "`--max-response {0}` 无效：请给出 1 至 1024（MiB）",
    ),
    (
        "invalid `--threads {}`: give 1 to {}",
        "`--threads {0}` 无效：请给出 1 至 {1}",
    ),
    (
        "invalid `--timeout 0`: give seconds, at least 1",
        "`--timeout 0` 无效：请给出至少 1 秒",
    ),
    (
        "internal error: a worker failed on the chunk after row {}; output stops there",
        "内部错误：处理第 {0} 行之后的数据块时工作线程失败；输出在此停止",
    ),
    (
        "internal error: a worker failed on the rows after row {}; output stops there",
        "内部错误：处理第 {0} 行之后的行时工作线程失败；输出在此停止",
    ),
    (
        "internal error: the writer failed",
        "内部错误：写入线程失败",
    ),
    ("the writer thread failed", "写入线程失败"),
    // HTTP API (server/).
    (
        "the request body is empty: send one JSON object",
        "请求体为空：请发送一个 JSON 对象",
    ),
    (
        "the body must be a JSON object (a case), found {}",
        "请求体须为 JSON 对象（一个案件），现为 {0}",
    ),
    (
        "the body must be a JSON object such as {}, found {}",
        "请求体须为 JSON 对象，如 {0}，现为 {1}",
    ),
    (
        "unknown field {} (expected `at`, `crs`, `code` or `address`)",
        "未知字段 {0}（应为 `at`、`crs`、`code` 或 `address`）",
    ),
    (
        "unknown query parameter {} (expected `province` or `level`)",
        "未知查询参数 {0}（应为 `province` 或 `level`）",
    ),
    (
        "unknown court level {} (expected basic, intermediate, high or supreme)",
        "未知法院级别 {0}（应为 basic、intermediate、high 或 supreme）",
    ),
    (
        "request body is larger than the limit of {} for this endpoint",
        "请求体超过本接口 {0} 的上限",
    ),
    (
        "the answer is larger than the response limit of {}: send fewer places (or raise `serve --max-response`)",
        "回答超过 {0} 的响应上限：请减少地点（或调高 `serve --max-response`）",
    ),
    (
        "unsupported `Content-Type: {}`: send {}",
        "不支持的 `Content-Type: {0}`：请发送 {1}",
    ),
    ("cannot read the request body: {}", "无法读取请求体：{0}"),
    (
        "{} batches are already running; try again later",
        "已有 {0} 个批量任务在运行；请稍后再试",
    ),
    (
        "the batch did not complete within {} s; lines after {} were not read",
        "批量任务未在 {0} 秒内完成；第 {1} 行之后未读取",
    ),
    (
        "the client sent nothing for {} s; lines after {} were not read",
        "客户端已 {0} 秒未发送任何内容；第 {1} 行之后未读取",
    ),
    (
        "the server is shutting down; lines after {} were not read",
        "服务器正在关闭；第 {0} 行之后未读取",
    ),
    (
        "the request did not complete within {} s",
        "请求未在 {0} 秒内完成",
    ),
    (
        "no such endpoint {} (see `/openapi.json`)",
        "没有接口 {0}（见 `/openapi.json`）",
    ),
    (
        "{} is not allowed (see `/openapi.json`)",
        "不允许 {0}（见 `/openapi.json`）",
    ),
    (
        "the request crashed its handler; this is a bug, please report it",
        "请求导致处理程序崩溃；这是程序缺陷，请报告",
    ),
    (
        "`why_not` must be a list of court ids or names",
        "`why_not` 须为法院标识或名称的列表",
    ),
    // Command-line notes (stderr) and summary lines (stdout) of `locate --input`, `batch`,
    // `simulate`, `test`, `validate`, `evidence` and `serve`.
    (
        "rows read {}, located {}, near-border {}, at sea (no unit) {}, outside {}, failed {}",
        "读取 {0} 行：已定位 {1}，靠近边界 {2}，位于海域（不属任何县级单位）{3}，在覆盖区域外 {4}，失败 {5}",
    ),
    (
        "{} record(s) span several lines (quoted fields with line breaks), the first at lines {}–{}: each is one row",
        "{0} 条记录跨越多行（引号内的字段含换行），第一条在第 {1}–{2} 行：每条记录计为一行",
    ),
    (
        "read {} = routed {} + no court {} + needs clarification {} + failed {} (COUNTS DO NOT RECONCILE); {} s ({} rows/s); cache {} hits, {} routed",
        "读取 {0} 行 = 已确定法院 {1} + 无管辖法院 {2} + 需澄清 {3} + 失败 {4}（计数不平衡）；{5} 秒（每秒 {6} 行）；缓存命中 {7}，实际判定 {8}",
    ),
    (
        "read {} = routed {} + no court {} + needs clarification {} + failed {}; {} s ({} rows/s); cache {} hits, {} routed",
        "读取 {0} 行 = 已确定法院 {1} + 无管辖法院 {2} + 需澄清 {3} + 失败 {4}；{5} 秒（每秒 {6} 行）；缓存命中 {7}，实际判定 {8}",
    ),
    (
        "point `{}` is outside the covered area (Shanghai, Jiangsu, Zhejiang, Anhui and their coastal waters); nearest unit {} {} at {} km",
        "点 `{0}` 在覆盖区域（上海、江苏、浙江、安徽及其近岸海域）之外；最近的县级单位为 {1} {2}，相距 {3} 公里",
    ),
    (
        "point `{}` is outside the covered area (Shanghai, Jiangsu, Zhejiang, Anhui and their coastal waters)",
        "点 `{0}` 在覆盖区域（上海、江苏、浙江、安徽及其近岸海域）之外",
    ),
    (
        "interrupted by {}: stopped before the end; no output was written",
        "被 {0} 中断：未运行完毕；未写出任何输出",
    ),
    (
        "interrupted by {}: stopped before the end; no output written (removed the unfinished temporary file {})",
        "被 {0} 中断：未运行完毕；未写出输出（已删除未完成的临时文件 {1}）",
    ),
    (
        "interrupted by {}: stopped before the end; no output written (removed the unfinished temporary files {})",
        "被 {0} 中断：未运行完毕；未写出输出（已删除未完成的临时文件 {1}）",
    ),
    (
        "read {} cases: baseline routed {} / no court {} / failed {}; scenario routed {} / no court {} / failed {}; {} changed, {} flagged; {} unit-kind map cells changed; replay: {} of {} logged decisions move; report in `{}` ({} s)",
        "读取 {0} 件案件：现行规则 已确定法院 {1} / 无管辖法院 {2} / 失败 {3}；方案 已确定法院 {4} / 无管辖法院 {5} / 失败 {6}；改变 {7} 件，标记 {8} 件；地图上 {9} 个“单位×案件类型”格改变；回放：{11} 个已记录判定中 {10} 个改变；报告在 `{12}`（{13} 秒）",
    ),
    (
        "read {} cases: baseline routed {} / no court {} / failed {}; scenario routed {} / no court {} / failed {}; {} changed, {} flagged; {} unit-kind map cells changed; report in `{}` ({} s)",
        "读取 {0} 件案件：现行规则 已确定法院 {1} / 无管辖法院 {2} / 失败 {3}；方案 已确定法院 {4} / 无管辖法院 {5} / 失败 {6}；改变 {7} 件，标记 {8} 件；地图上 {9} 个“单位×案件类型”格改变；报告在 `{10}`（{11} 秒）",
    ),
    (
        "wrote {} cases to `{}`, assumptions to `{}`",
        "已将 {0} 件案件写入 `{1}`，假设写入 `{2}`",
    ),
    (
        "wrote the scenario template `{}`: edit it, then `{}`",
        "已写出方案模板 `{0}`：编辑后运行 `{1}`",
    ),
    (
        "warning: listening on `{}`, which is not a loopback address: the API has no authentication",
        "警告：监听地址 `{0}` 不是本机回环地址，而 API 没有身份验证",
    ),
    (
        "listening on {} (rules {}, geodata {})",
        "正在监听 {0}（规则 {1}，地理数据 {2}）",
    ),
    ("done in {} ms, exit code {}", "用时 {0} 毫秒，退出码 {1}"),
    ("{} passed, {} failed", "通过 {0}，失败 {1}"),
    (
        "{} load error(s); fix them before the coverage analysis can run",
        "{0} 个加载错误：修正后才能进行覆盖分析",
    ),
    (
        "{} rules, {} courts; {} combinations (unit or sea area × kind × level × {} date intervals) checked in {} ms: {} finding(s)",
        "规则 {0} 条，法院 {1} 个；已检查 {2} 种组合（县级单位或海域 × 案件类型 × 审级 × {3} 个日期区间），用时 {4} 毫秒：发现 {5} 个问题",
    ),
    (
        "evidence: {} real case(s); {} rule(s) supported by at least one; {} not supported by any real case (info): {}",
        "实证：真实案例 {0} 件；{1} 条规则至少有一件案例支持；{2} 条规则尚无真实案例支持（提示）：{3}",
    ),
    (
        "evidence: `{}` gave another court than the real one in {} case(s) explained by a known exception (info): {}",
        "实证：`{0}` 在 {1} 件案例中给出的法院与实际不同，均有已知例外说明（提示）：{2}",
    ),
    ("evidence: not checked: {}", "实证：未检查：{0}"),
    (
        "{} case(s) in {} file(s): {} matched, {} exact, {} explained, {} failing (unexplained misses, stale exceptions, invalid entries)",
        "{1} 个文件中共 {0} 件案例：相符 {2}，完全一致 {3}，有说明的不符 {4}，未通过 {5}（无说明的不符、过时的例外、无效条目）",
    ),
    // serde_json's position suffix (`ecojuris batch` JSONL rows); last, so that every more
    // specific template wins.
    ("{} at line {} column {}", "{0}（第 {1} 行第 {2} 列）"),
];

/// Values that are translated only when a hole is exactly them.
const WORDS: &[(&str, &str)] = &[
    ("none", "无"),
    ("`command line`", "命令行"),
    ("none", "无"),
    ("both `at` and `code`", "`at` 与 `code` 都有"),
    ("(none in force)", "（当日无有效规则）"),
    ("not a finite number", "不是有限数"),
    ("latitude must be within ±90", "纬度须在 ±90 之间"),
    (
        "latitude must be within ±90 (did you swap longitude and latitude? give `lon,lat`)",
        "纬度须在 ±90 之间（是否把经度和纬度写反了？请按 `经度,纬度` 给出）",
    ),
    ("longitude must be within ±180", "经度须在 ±180 之间"),
    // Why a global flag has no effect (cli::check_globals).
    ("it writes CSV; its columns are fixed", "它输出 CSV，列固定"),
    ("its CSV columns are fixed", "其 CSV 列固定"),
    ("its report is in English", "其报告为英文"),
    (
        "the API answers JSON and the page switches language itself",
        "API 只返回 JSON，网页自行切换语言",
    ),
    (
        "the page is Chinese by default with an English switch",
        "网页默认中文，可切换为英文",
    ),
    (
        "use `--output-format csv|jsonl` or the output file's extension",
        "请用 `--output-format csv|jsonl` 或输出文件的扩展名",
    ),
    (
        "its CSV/JSONL columns are fixed; JSONL rows carry both languages",
        "其 CSV/JSONL 列固定；JSONL 行含两种语言",
    ),
    (
        "it writes Markdown, HTML, CSV and SVG files under `--report`",
        "它在 `--report` 下输出 Markdown、HTML、CSV 和 SVG 文件",
    ),
    ("it writes data, not text", "它输出数据而非文字"),
    ("it writes a binary file", "它输出二进制文件"),
    ("it prints a shell script", "它输出 shell 脚本"),
    ("it prints roff", "它输出 roff"),
    ("the manual page is in English", "手册页为英文"),
    ("null", "null"),
    ("a boolean", "布尔值"),
    ("a number", "数字"),
    ("a string", "字符串"),
    ("an array", "数组"),
    ("an object", "对象"),
];

/// The holes of `s` under `template`, when it matches the whole of `s` (holes non-empty).
fn holes<'s>(template: &str, s: &'s str) -> Option<Vec<&'s str>> {
    let pieces: Vec<&str> = template.split("{}").collect();
    let (first, rest) = pieces.split_first()?;
    let mut tail = s.strip_prefix(first)?;
    if rest.is_empty() {
        return tail.is_empty().then(Vec::new);
    }
    let mut out = Vec::with_capacity(rest.len());
    for (i, piece) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let end = if last {
            if piece.is_empty() {
                tail.len()
            } else {
                tail.strip_suffix(piece)?.len()
            }
        } else {
            let skip = tail.chars().next()?.len_utf8();
            tail.get(skip..)?.find(piece)? + skip
        };
        let hole = tail.get(..end)?;
        if hole.is_empty() {
            return None;
        }
        out.push(hole);
        tail = tail.get(end + piece.len()..)?;
    }
    Some(out)
}

fn translate(s: &str, depth: usize) -> Option<String> {
    if depth > 6 {
        return None;
    }
    for (en, zh) in SENTENCES {
        if let Some(h) = holes(en, s) {
            let mut out = (*zh).to_string();
            for (i, hole) in h.iter().enumerate() {
                let value = translate(hole, depth + 1)
                    .or_else(|| word(hole))
                    .unwrap_or_else(|| (*hole).to_string());
                out = out.replace(&format!("{{{i}}}"), &value);
            }
            return Some(out);
        }
    }
    // serde_yaml's "places[0].role: unknown variant …": keep the path, translate the rest.
    let (path, rest) = s.split_once(": ")?;
    if path.is_empty() || path.contains([' ', '`']) {
        return None;
    }
    translate(rest, depth + 1).map(|r| format!("{path}：{r}"))
}

fn word(s: &str) -> Option<String> {
    WORDS
        .iter()
        .find(|(en, _)| *en == s)
        .map(|(_, zh)| (*zh).to_string())
        .or_else(|| {
            // "`agency` or `conduct`" (a list of values).
            s.contains("` or `").then(|| s.replace("` or `", "` 或 `"))
        })
}

/// The Chinese of an English error message (its first line: a caret snippet after it is kept
/// as is). A sentence the catalogue does not know comes back unchanged.
pub fn zh(en: &str) -> String {
    let (head, rest) = match en.split_once('\n') {
        Some((h, r)) => (h, Some(r)),
        None => (en, None),
    };
    let mut out = translate(head, 0).unwrap_or_else(|| head.to_string());
    if let Some(r) = rest {
        out.push('\n');
        out.push_str(r);
    }
    out
}

/// Whether the catalogue knows the message (its first line).
pub fn known(en: &str) -> bool {
    translate(en.lines().next().unwrap_or(""), 0).is_some()
}

/// An English error message in both languages.
pub fn text(en: &str) -> Text {
    Text::new(en, zh(en))
}

/// An English error message in `lang`.
pub fn localized(en: &str, lang: Lang) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh(en),
    }
}

/// The Chinese of an IO error kind, with the system's English message beside.
pub fn io_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "权限不足",
        K::AlreadyExists => "已存在",
        K::IsADirectory => "是目录",
        K::InvalidData => "内容无效（不是 UTF-8 文本？）",
        K::UnexpectedEof => "内容意外结束",
        K::StorageFull => "磁盘已满",
        _ => "读写失败",
    };
    format!("{what}（{e}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn nested_sentences_are_translated_whole() {
        let en = "in `command line`: a `administrative` case needs a place with role `agency` or `conduct` (missing); the case has `conduct`";
        let zh = zh(en);
        assert!(zh.starts_with("命令行："), "{zh}");
        assert!(zh.contains("`agency` 或 `conduct`"), "{zh}");
        assert!(!zh.contains("needs a place"), "{zh}");
    }

    #[test]
    fn did_you_mean_and_positions() {
        let en = "in `x.yaml` line 1 column 7: unknown variant `civl`, expected one of `civil`, `criminal` (did you mean `civil`?)\n  1 | kind: civl\n    |       ^";
        let zh = zh(en);
        assert!(
            zh.starts_with("`x.yaml` 第 1 行第 7 列：未知取值 `civl`"),
            "{zh}"
        );
        assert!(zh.contains("（是否想输入 `civil`？）"), "{zh}");
        assert!(zh.ends_with("^"), "the snippet is kept: {zh}");
    }

    #[test]
    fn the_errors_users_meet_are_known() {
        for en in [
            "place #2 (`result`): unknown code `999999`",
            "place #1 (`conduct`): give exactly one of `at`, `code` or `address` (found none); an `address` may accompany `at` or `code` as a cross-check",
            "invalid point `121.1`: expected `LON,LAT`, e.g. `121.12,31.15`",
            "invalid coordinate `31.1, 121.1`: latitude must be within ±90 (did you swap longitude and latitude? give `lon,lat`)",
            "malformed JSON at line 1 column 2: key must be a string",
            "unsupported `Content-Type: text/plain`: send `application/json`",
            "request body is larger than the limit of 1 MiB for this endpoint",
            "places[0].role: unknown variant `x`, expected one of `conduct`, `result`",
            "missing field `kind`",
            "unknown court `basic-31011` (did you mean `basic-310118`?)",
            "in `command line`: place #1 (`conduct`): unknown code `999999` (nearest known codes: `310109` 虹口区)",
            "unknown code `99`: codes have 6 digits (province, city, county) or 9 (town) (nearest known codes: `310109` 虹口区)",
            "malformed JSON at line 1 column 22: duplicate key `kind`: give each key once",
            "malformed JSON: duplicate key `kind`: give each key once at line 1 column 46",
            "malformed JSON: expected value at line 1 column 84",
            "the case has 27000 places, more than the limit of 1000 places per case",
        ] {
            assert!(known(en), "not in the catalogue: {en}");
            let zh = zh(en);
            assert!(is_chinese(&zh), "{en} → {zh}");
        }
    }

    #[test]
    fn json_errors_have_no_english_left() {
        assert_eq!(
            zh("malformed JSON at line 1 column 22: duplicate key `kind`: give each key once"),
            "JSON 格式错误（第 1 行第 22 列）：键 `kind` 重复：每个键只能给出一次"
        );
        assert_eq!(
            zh("malformed JSON: duplicate key `kind`: give each key once at line 1 column 46"),
            "JSON 格式错误：键 `kind` 重复：每个键只能给出一次（第 1 行第 46 列）"
        );
        assert_eq!(
            zh("malformed JSON: expected value at line 1 column 84"),
            "JSON 格式错误：此处应为一个值（第 1 行第 84 列）"
        );
    }

    #[test]
    fn unknown_sentences_come_back_unchanged() {
        assert_eq!(zh("something new"), "something new");
        assert!(!known("something new"));
    }

    #[test]
    fn a_template_does_not_match_a_prefix_only() {
        assert!(holes("missing field {}", "missing field `kind` and more").is_some());
        assert!(holes("give both `lon` and `lat`", "give both `lon` and `lat`!").is_none());
    }
}
