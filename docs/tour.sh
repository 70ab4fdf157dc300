#!/usr/bin/env bash
# A five-minute tour of the API. Start the product (`npm start`), then in another terminal: bash docs/tour.sh
# (WF=http://host:port bash docs/tour.sh for another address). It needs bash, curl and node — no jq. Each request
# prints "user METHOD path → status" and the answer (its first 300 characters; TOUR_CHARS=0 for all), and the tour
# stops at the first unexpected status. To go step by step instead: `source docs/tour.sh --helpers` in bash
# defines the helpers in your shell; then paste the steps below one by one.
# This file is the README's tour; test/http/tour.test.ts runs it against a started product.
WF=${WF:-http://localhost:3000}
DOCS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JARS=$(mktemp -d "${TMPDIR:-/tmp}/wf-tour.XXXXXX") # the sessions: a cookie jar and a CSRF token per user
ANSWER=$JARS/answer.json

# as USER METHOD PATH [BODY]: one request in USER's session (USER - : nobody signed in). BODY is JSON text
# (sent as application/json), --xml FILE (sent as application/xml, alone), or -F name=value … (multipart, as a
# form upload). The status must be 2xx, or match EXPECT (EXPECT=403 as …); anything else fails.
as() {
  local user=$1 method=$2 path=$3 got; shift 3
  local args=(-X "$method")
  if [ "$user" != - ]; then
    [ -s "$JARS/$user.csrf" ] || { echo "FAILED: $user has not signed in (signin $user)" >&2; return 1; }
    args+=(-b "$JARS/$user" -H "x-csrf-token: $(cat "$JARS/$user.csrf")")
  fi
  case ${1-} in
    '') ;;
    --xml) args+=(-H 'content-type: application/xml' --data-binary "@$2") ;;
    -F) args+=("$@") ;;
    *) args+=(-H 'content-type: application/json' --data-binary "$1") ;;
  esac
  got=$(curl -sS -o "$ANSWER" -w '%{http_code}' "${args[@]}" "$WF$path") || { echo "no answer from $WF: is the product started (npm start)?" >&2; return 1; }
  echo "$user $method $path → $got"
  node -e 'const [file, max] = process.argv.slice(1); const t = require("fs").readFileSync(file, "utf8");
    console.log("  " + (+max && t.length > +max ? t.slice(0, +max) + " …" : t))' "$ANSWER" "${TOUR_CHARS:-300}"
  # shellcheck disable=SC2254 # EXPECT is a pattern
  case $got in ${EXPECT:-2??}) ;; *) echo "FAILED: $method $path answered $got" >&2; return 1 ;; esac
}
# pick EXPR: a value of the last answer `a`, by a JavaScript expression (pick a.items[0].id); fails if there is none.
pick() {
  node -e 'const [file, expr] = process.argv.slice(1); const a = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const v = new Function("a", "return (" + expr + ")")(a);
    if (v === undefined || v === null) { console.error("FAILED: the answer has no " + expr); process.exit(1); }
    console.log(typeof v === "object" ? JSON.stringify(v) : v)' "$ANSWER" "$1"
}
# signin USER [PASSWORD]: staff sign-in (the demo password by default); keeps the session cookie and CSRF token.
signin() { session "$1" /api/auth/login "{\"username\":\"$1\",\"password\":\"${2:-Demo2026}\"}"; }
# session NAME PATH BODY: a sign-in, which must answer 200 with a CSRF token (an error body is never kept as one).
session() {
  local got
  got=$(curl -sS -o "$ANSWER" -w '%{http_code}' -c "$JARS/$1" -H 'content-type: application/json' --data-binary "$3" "$WF$2") || { echo "no answer from $WF: is the product started (npm start)?" >&2; return 1; }
  [ "$got" = 200 ] || { echo "FAILED: sign-in of $1 answered $got $(cat "$ANSWER")" >&2; return 1; }
  pick a.csrfToken > "$JARS/$1.csrf" && echo "signed in: $1"
}
say() { echo "== $*"; }
# shellcheck disable=SC2317 # sourced with --helpers: stop here, before the steps
if [ "${1-}" = --helpers ]; then return 0 2>/dev/null || exit 0; fi

set -euo pipefail
trap 'rm -rf "$JARS"' EXIT
signin zhangsan; signin lisi; signin wangwu; signin sunqi; signin zhaoliu; signin chenjun; signin zhoubo
signin analyst; signin admin

# 1. On start the demo content is deployed: the organisation, dictionaries, forms (leave-request 请假申请,
#    expense-claim 费用报销, road-pass-application 禁行道路通行证核发) and the flows that use them.
as zhangsan GET '/api/definitions?latest=true'
say "deployed: $(pick 'a.items.map((d) => d.key).join(" ")')"
as zhangsan GET /api/auth/me                           # roles, permissions, menus, data scope

# 2. The analyst deploys a BPMN file (drawn in Camunda Modeler or any BPMN tool): the XML as it is, alone
#    (or as JSON: {"xml": "…"}). 201: a new version; 200: the same content was deployed before. A clerk may not: 403.
as analyst POST /api/definitions --xml "$DOCS/my-process.bpmn"
say "deployed $(pick 'a.definitions[0].id')"
EXPECT=403 as zhangsan POST /api/definitions --xml "$DOCS/my-process.bpmn"
#    It runs at once: 张三 asks for the seal; the node's rule (wf:assignees="department-head") finds 李四.
as zhangsan POST /api/instances '{"processKey":"seal-request","businessKey":"YZ-2026-001","variables":{"purpose":"合同用章"}}'
say "the seal request waits for: $(pick 'a.activities[0].name')"

# 3. 张三 fetches the leave form (with his saved draft, if any), saves a draft (missing fields are fine, wrong
#    ones are not), and submits it: validated in full, the days computed. Bad data is refused first (422), with
#    every problem at once, each naming its field (工作交接人：必填；请假事由：至少 2 个字符: over three days needs
#    a hand-over).
as zhangsan GET /api/processes/leave/start-form
as zhangsan PUT /api/processes/leave/start-form/draft '{"data":{"leaveType":"annual","startDate":"2026-12-07"}}'
EXPECT=422 as zhangsan POST /api/processes/leave/start-form/submit '{"data":{"leaveType":"annual","startDate":"2026-12-07","endDate":"2026-12-11","reason":"回"}}'
as zhangsan POST /api/processes/leave/start-form/submit \
  '{"businessKey":"QJ-2026-001","data":{"leaveType":"annual","startDate":"2026-12-07","endDate":"2026-12-11","reason":"回老家探亲","handover":"zhaoliu"}}'
leave=$(pick a.id)
say "leave case $leave: $(pick 'a.variables.days') days, waiting in $(pick 'a.activities[0].name')"

# 4. The task went to 张三's department head by the node's rule (wf:assignees="department-head"): 李四.
#    His inbox, soonest due first (here: this case's tasks), and his notices (待办 …) with the unread count:
as lisi GET "/api/tasks?state=active&instanceId=$leave"
task=$(pick a.items[0].id)
say "李四 holds $(pick a.items[0].name) ($task)"
as lisi GET /api/notices
#    张三 urges it (催办: 李四 gets a notice, by SMS when he is not online; once per 10 minutes per task):
as zhangsan POST "/api/tasks/$task/urge" '{"note":"下周一出发，请尽快"}'

# 5. 李四 sees the request read-only and decides (approved and comment are the only editable fields there).
#    Five days is over three: it goes to the deputy director (post:deputy-director — 王五), then HR (孙琪).
as lisi GET "/api/tasks/$task/form"
as lisi POST "/api/tasks/$task/form/submit" '{"data":{"approved":true,"comment":"同意"}}'
as wangwu GET "/api/tasks?state=active&instanceId=$leave"
task=$(pick a.items[0].id)
say "next approver: $(pick a.items[0].assignee) ($(pick a.items[0].name))"
as wangwu POST "/api/tasks/$task/form/submit" '{"data":{"approved":true,"comment":"同意，注意交接"}}'
#    HR's record is offered to everyone holding the post hr in 政治处 (candidates): 孙琪 claims and completes it.
as sunqi GET "/api/tasks?state=active&instanceId=$leave"
task=$(pick a.items[0].id)
as sunqi POST "/api/tasks/$task/claim" '{}'
as sunqi POST "/api/tasks/$task/complete" '{}'
say "leave case: $(pick a.instance.state)"

#    Instead of deciding, the holder may transfer the task (转办), delegate it (委派: it comes back to him), add a
#    signer before or after himself (加签), or return the case to an earlier node (退回, POST …/return with a reason).
#    A second, two-day request: 李四 delegates it to 赵六, whose opinion brings it back to 李四; 李四 adds 陈军
#    after himself and approves in a batch; 陈军 gets it next.
as zhangsan POST /api/processes/leave/start-form/submit \
  '{"businessKey":"QJ-2026-002","data":{"leaveType":"personal","startDate":"2026-12-14","endDate":"2026-12-15","reason":"家中有事"}}'
leave2=$(pick a.id)
as lisi GET "/api/tasks?state=active&instanceId=$leave2"
task=$(pick a.items[0].id)
as lisi POST "/api/tasks/$task/delegate" '{"userId":"zhaoliu","reason":"请核对"}'
as zhaoliu POST "/api/tasks/$task/form/submit" '{"data":{"approved":true,"comment":"已核对"}}'
as lisi GET "/api/tasks/$task"
say "after the delegate: $(pick a.assignee) holds it again"
as lisi POST "/api/tasks/$task/signers" '{"userId":"chenjun","position":"after"}'
#    Several at once (batch approval), what I finished, what is near due or overdue:
as lisi POST /api/tasks/complete-batch "{\"items\":[{\"taskId\":\"$task\",\"variables\":{\"approved\":true}}]}"
say "batch: $(pick a.succeeded) approved"
as lisi GET '/api/tasks?endedBy=lisi&state=completed'
as lisi GET '/api/tasks?state=active&dueState=overdue&keyword=QJ-2026'
as chenjun GET "/api/tasks?state=active&instanceId=$leave2"
say "added signer: $(pick a.items[0].assignee)"
#    张三 may copy a case to someone (抄送, POST /api/instances/:id/cc), comment on it (…/comments), or take it
#    back (撤回) while nobody has acted on it yet:
as zhangsan POST /api/processes/leave/start-form/submit \
  '{"businessKey":"QJ-2026-003","data":{"leaveType":"annual","startDate":"2026-12-21","endDate":"2026-12-21","reason":"个人事务"}}'
leave3=$(pick a.id)
as zhangsan POST "/api/instances/$leave3/withdraw" '{"reason":"信息填错了"}'
say "withdrawn: $(pick a.state)"

# 6. Everything that happened, with who and when (a supervisor sees the cases of their departments):
as zhangsan GET "/api/instances/$leave/history?limit=100"
say "history: $(pick 'a.items.filter((e) => /^(task|instance)\./.test(e.kind)).map((e) => e.kind + " " + e.actor).join(", ")')"

# 7. A citizen signs in with an SMS code (the simulator's inbox shows it as the phone would; only admins read it),
#    uploads materials (their type is read from the bytes) and applies. The files are bound to the case and
#    readable only by the applicant and the clerks handling it.
as - POST /api/auth/sms-code '{"mobile":"13800000000"}'
as admin GET '/sim/sms/_messages?phone=13800000000'
code=$(pick 'a.items.map((m) => /验证码 (\d{6})/.exec(m.text)).find(Boolean)[1]')
session citizen /api/auth/sms-login "{\"mobile\":\"13800000000\",\"code\":\"$code\"}"
#    What a citizen may start (the internal leave and expense flows are not among them: 403 if tried):
as citizen GET /api/processes
EXPECT=403 as citizen GET /api/processes/leave/start-form
#    The road-pass form's materials follow the applicant type (personal: id-card as JPEG/PNG, vehicle-licence);
#    each upload names the form, field and material whose limits apply:
as citizen GET /api/processes/road-pass/start-form
as citizen POST /api/files -F "file=@$DOCS/id-card.jpg" -F form=road-pass-application -F field=materials -F material=id-card
idCard=$(pick a.id)
as citizen POST /api/files -F "file=@$DOCS/vehicle-licence.pdf" -F form=road-pass-application -F field=materials -F material=vehicle-licence
licence=$(pick a.id)
#    The materials value: { "<material id>": { "files": [<file ids>] } }, for the materials of the chosen class.
as citizen POST /api/processes/road-pass/start-form/submit "{\"businessKey\":\"TXZ-2026-001\",\"data\":{
  \"applicantType\":\"personal\",\"applicantName\":\"刘芳\",\"idNumber\":\"11010519491231002X\",\"mobile\":\"13800000000\",
  \"plateColour\":\"blue\",\"plateNumber\":\"豫K·A8M21\",\"vehicleType\":\"small-car\",\"vin\":\"LSVAM4187C2184847\",
  \"roads\":[\"wenfeng-rd\"],\"validity\":{\"start\":\"2026-12-10\",\"end\":\"2027-01-10\"},\"purpose\":\"运送建筑材料进入市区\",
  \"region\":\"411002\",\"office\":\"xc-traffic-1\",\"returnMethod\":\"self\",\"declaration\":true,
  \"materials\":{\"id-card\":{\"files\":[\"$idCard\"]},\"vehicle-licence\":{\"files\":[\"$licence\"]}}}}"
pass=$(pick a.id)
say "road-pass case $pass: waiting in $(pick 'a.activities[0].name')"
#    The window's clerks see it (candidates: post traffic-clerk of 车管所服务窗口):
as zhoubo GET "/api/tasks?state=active&instanceId=$pass"
say "offered to: $(pick 'a.items[0].candidateUsers.join(" ")')"

# 8. The admin keeps the organisation: departments, users with posts and roles, and imports from CSV or XLSX
#    (all rows or none, every bad row reported). docs/users.xlsx has the columns 用户编号 (id), 姓名 (name), 手机,
#    邮箱, 岗位 (部门编号:岗位, several joined by ;, the first primary), 角色 (joined by ;), 初始密码, 状态 (启用/停用).
as admin PUT /api/org/users/wanglei '{"name":"王磊","password":"Start2026","posts":[{"departmentId":"office","post":"staff"}],"roles":["clerk"]}'
as admin POST /api/org/import -F kind=users -F "file=@$DOCS/users.xlsx"
say "imported $(pick a.users) users"
signin liuyang Start2026
#    And reads the audit trail (filter by actor, action, address, from, to; /api/audit/export gives CSV), e.g. a
#    failed sign-in, then checks the hash chains and signed anchors:
EXPECT=401 as - POST /api/auth/login '{"username":"nobody","password":"guess"}'
as admin GET '/api/audit?action=auth.login.failed'
as admin GET '/api/audit?action=org.import'
as admin GET /api/audit/verify
say "audit trail intact: $(pick a.ok)"
say "tour done"
