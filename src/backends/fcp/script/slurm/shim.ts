/**
 * The SLURM commands a batch script calls, as one multi-call bash program (`flow-slurm`) that the
 * slurm section writes to the instance and links as `srun`, `scontrol`, `sbatch`, `salloc`,
 * `squeue`, `scancel`, `sacct`, `sinfo` and `sstat`; it dispatches on the name it was called by.
 * One file keeps the startup script small (it counts against the 10,000-character limit) and
 * reads every fact from the SLURM_* environment, so it works unchanged on the host and inside a
 * container, on every node.
 *
 * - `srun` starts the tasks of the step that belong to THIS node (block distribution, node k holds
 *   consecutive ranks; spec/slurm.md §10.2), each with SLURM_PROCID/LOCALID/NODEID and the step
 *   variables, waits for all of them and exits with the first non-zero status in rank order. A
 *   node outside the step (`srun -N1` on node 1) runs nothing and exits 0. Tasks get exactly the
 *   environment srun was started with (captured before the shim sets a variable of its own, so a
 *   user variable named like one of the shim's reaches the task intact) plus the SLURM variables
 *   of the step and the task. Honoured: `-n`, `-N`,
 *   `--ntasks-per-node`, `-c`, `-l/--label`, `--export`; resource and no-op options are accepted
 *   silently; anything else is ignored with a one-line warning on stderr. With FLOW_SLURM_SIGNAL
 *   (`NAME@SECONDS`, from `--signal` without `B:`) srun sends NAME to its tasks that many seconds
 *   before SLURM_JOB_END_TIME, as SLURM signals a job's steps.
 * - `scontrol show hostnames [hostlist]` prints one name per line (`node[01-03],x`, nested
 *   bracket groups, zero padding kept), defaulting to SLURM_JOB_NODELIST; any other scontrol
 *   command fails with a one-line "not emulated" message and status 1.
 * - The controller commands fail loudly with status 1: there is no SLURM controller on the cloud.
 */

/** The multi-call program; every command name below is a symbolic link to it. */
export const SHIM_PROGRAM = "flow-slurm";

/** The command names the program answers to, in the order they are linked. */
export const SHIM_COMMANDS: readonly string[] = [
  "srun",
  "scontrol",
  "sbatch",
  "salloc",
  "squeue",
  "scancel",
  "sacct",
  "sinfo",
  "sstat",
];

/**
 * srun's short options that take no value (getopt flags), so `-lun2` is `-l -u -n2`: a flag is
 * split off its group rather than taking the rest of the word as a value. A contract test holds
 * these to the body analysis's table of srun options (`frontends/slurm/body/srun-options.ts`).
 */
export const SRUN_SHORT_FLAGS = "EHOQVXZhlsuv";

/**
 * srun's short options whose value is optional, so only attached (`-K1`): bare, they take no value
 * from the next word. Held to the body analysis's table like SRUN_SHORT_FLAGS.
 */
export const SRUN_SHORT_OPTIONAL = "IKk";

/**
 * The long options that take no value from the next word, as a bash extended pattern for the
 * shim's `[[ ]]` (which reads extended patterns without `extglob`): the options srun reads with no
 * value, or only an attached one (`--exclusive=user`), from their shortest abbreviation that no
 * option requiring a value shares (`ov*`: `--ov`, `--overlap`, `--oversubscribe`), so
 * `srun --overlap python x.py` runs `python x.py`. Generated from the body analysis's table
 * (`srunLongFlagsForShim()` in `frontends/slurm/body/srun-options.ts`); a contract test holds the
 * two together. Any other `--long` without `=`, unknown ones included, takes the next word.
 */
export const SRUN_LONG_FLAGS =
  "@(bcast|@(co@(mp|ntainer-@(ent|mount-|r|wr)|nti)|deb|disa|ex@(a|clus|te)|ge|hel|ho|im|int|k|la|mu|ni|no-|oo|ov|pres|prop|pt|qu|reb|resv|sen|sh|sp|st|te|un|us|v|wh|x)*)";

/**
 * The program text. Compact on purpose (every byte counts against the script limit); its
 * behaviour is specified above and by test/unit/backends/fcp/script/slurm/shim.test.ts, which
 * runs it under bash and lints it with shellcheck.
 */
export const SHIM_SCRIPT = `#!/bin/bash
# flow's SLURM shims: docs/slurm-emulation.md
mapfile -d '' O < <(env -0)
set -f
c=\${0##*/}
w(){ echo "$c (flow): $*" >&2;}
x(){ local p r q a b i j
[[ $1 == *\\[*\\]* ]]||{ echo "$1";return;}
p=\${1%%\\[*} r=\${1#*\\[} q=\${r#*\\]} r=\${r%%\\]*}
for i in \${r//,/ };do a=\${i%-*} b=\${i#*-}
[[ $a$b =~ ^[0-9]+$ ]]||return
for((j=10#$a;j<=10#$b;j++));do x "$p$(printf %0"\${#a}"d "$j")$q"||return;done;done;}
h(){ local l=$1 e='^([^[,]+(\\[[^]]*\\][^[,]*)*|(\\[[^]]*\\][^[,]*)+)(,(.*))?$'
while [ "$l" ];do
if [[ $l =~ $e ]];then l=\${BASH_REMATCH[5]};x "\${BASH_REMATCH[1]}"&&continue;fi
w "bad hostlist: $1";exit 1;done;}
case $c in
srun);;
scontrol)[[ "$1 $2" =~ ^show\\ hostnames?$ ]]&&{ h "\${3-$SLURM_JOB_NODELIST}";exit;}
w "'$*' is not emulated (only 'show hostnames')";exit 1;;
*)w "not emulated: a cloud instance has no SLURM controller";exit 1;;
esac
unset n N p C l X T q
r=0 i=0 m=0 B=("\${O[@]}") D=() K=() Q=()
while [ $# -gt 0 ];do o=$1 v=;shift
[[ $o == -[${SRUN_SHORT_FLAGS}]?* ]]&&{ set -- "-\${o:2}" "$@";o=\${o:0:2};}
case $o in
--)break;;
--*=*)v=\${o#*=} o=\${o%%=*};;
-[${SRUN_SHORT_FLAGS}${SRUN_SHORT_OPTIONAL}]);;
-[!-]?*)v=\${o:2} o=\${o:0:2};;
--*)[[ \${o:2} == ${SRUN_LONG_FLAGS} ]]||{ v=$1;shift;};;
-*)v=$1;shift;;
*)set -- "$o" "$@";break;;
esac
case $o in
-n|--ntasks)n=$v;;
-N|--nodes)N=\${v%%-*};;
--ntasks-per-n*|--tasks*)p=$v;;
-c|--cpus-per-t*)C=$v;;
--exp*)X=$v;;
-l|--la*)l=1;;
*)[[ $o == -@([GJtpukvQOKX]|-pty|-@(ac|cpu-b|ex@(a|clus)|g|j|k|mem|mp|ov|pa|qo|qu|ti|u|v|wh)*) ]]||w "ignoring $o\${v:+ $v}";;
esac;done
[ $# -gt 0 ]||{ w "no command given";exit 1;}
[ "$n$N" ]||n=$SLURM_NTASKS
J=\${SLURM_JOB_NUM_NODES:-1} N=\${N:-\${SLURM_NNODES:-$J}} p=\${p:-$SLURM_NTASKS_PER_NODE}
if ! [[ $n$N$p$C =~ ^[0-9]*$ ]]||((N<1||N>J));then w "bad -n/-N/-c (the job has $J nodes)";exit 1;fi
[ "$n" ]||n=$((p?p*N:N))
((n>=N))||N=$n
for((k=0;k<N;k++));do D+=("$((p&&n<=p*N?(n-k*p<p?(n>k*p?n-k*p:0):p):n/N+(k<n%N)))");done
f=\${TMPDIR:-/tmp}/.flow-srun.$SLURM_JOB_ID.$SLURM_NODEID;S=$(($(cat "$f" 2>/dev/null||echo -1)+1));echo "$S" >"$f"
R=\${SLURM_NODEID:-0};((R<N))||exit 0
for k in "\${D[@]}" -;do if [ "$k" = "$q" ];then((m++));else [ -z "$q" ]||{ T+=\${T:+,}$q;((m<2))||T+="(x$m)";};q=$k m=1;fi;done
for((k=0;k<R;k++));do((i+=D[k]));done
if [ "$X" ];then IFS=, read -ra P <<<"$X";[[ ,$X, == *,ALL,* ]]||B=()
for o in "\${P[@]}";do case $o in ALL|NONE);;*=*)K+=("$o");;*)for v in "\${O[@]}";do [[ $v != "$o="* ]]||K+=("$v");done;;esac;done;fi
[ "\${B[*]}" ]||for v in "\${O[@]}";do [[ $v != SLURM_* ]]||B+=("$v");done
L=$(cut -d, -f1-"$N" <<<"$SLURM_JOB_NODELIST") W=$((n-1))
A=("SLURM_NTASKS=$n" "SLURM_NPROCS=$n" "SLURM_NNODES=$N" "SLURM_TASKS_PER_NODE=$T" "SLURM_STEP_ID=$S" "SLURM_STEPID=$S" "SLURM_STEP_NUM_TASKS=$n" "SLURM_STEP_NUM_NODES=$N" "SLURM_STEP_TASKS_PER_NODE=$T" "SLURM_STEP_NODELIST=$L" "SLURM_NODEID=$R")
[ -z "$C" ]||A+=("SLURM_CPUS_PER_TASK=$C")
for((k=0;k<D[R];k++));do
E=(env -i "\${B[@]}" "\${A[@]}" "SLURM_PROCID=$((i+k))" "SLURM_LOCALID=$k" "\${K[@]}" "$@")
if [ "$l" ];then(set -o pipefail;"\${E[@]}" 2>&1|sed "s/^/$(printf "%\${#W}d" $((i+k))): /") & else "\${E[@]}" & fi
Q+=($!);done
G=;[ -z "$FLOW_SLURM_SIGNAL" ]||{ t=$((SLURM_JOB_END_TIME-\${FLOW_SLURM_SIGNAL#*@}-$(date +%s)))
(read -rt $((t>0?t:0)) <> <(:)||:;kill -s "\${FLOW_SLURM_SIGNAL%@*}" "\${Q[@]}") >/dev/null 2>&1 & G=$!;}
for o in "\${Q[@]}";do wait "$o"||{ v=$?;((r))||r=$v;};done
[ -z "$G" ]||kill "$G" 2>/dev/null
exit $r
`;
