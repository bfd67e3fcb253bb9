/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vigil plugin ABI: everything that crosses between the sensor and a
 * plugin shared object. Plain C, so that a plugin built with another compiler,
 * standard library or Boost can be loaded.
 *
 * Rules that keep old and new sides working together:
 *  - Every struct starts with `struct_size`, set by whoever fills it to
 *    sizeof() as that side was compiled. A reader never touches a field that
 *    lies beyond the struct_size it was given; missing fields read as zero.
 *  - Structs and function tables are only ever appended to. Nothing is
 *    reordered, removed or inserted in the middle, and nothing changes size.
 *    tests/unit/sdk/abi_layout_test.cpp holds every field's offset and size
 *    and each struct's size at every minor, and fails on any other change.
 *  - Arrays of structs are stepped through by their first element's
 *    struct_size, so their element type can grow too.
 *  - VIGIL_ABI_MAJOR changes only when an incompatible change is unavoidable;
 *    the sensor refuses a plugin whose major differs from its own. MINOR grows
 *    with every append; a plugin built against a newer minor still loads.
 *    Whether a field (a host function, say) is there is told by the
 *    struct_size given with it, not by the minor: VIGIL_HAS_FIELD in C++
 *    (<vigil/abi_support.hpp>), struct_size >= VIGIL_SIZE_THROUGH() in C.
 *
 * Loading: the sensor dlopens the plugin and calls its one exported entry
 * point, VIGIL_PLUGIN_ENTRY_SYMBOL. Before anything else, it checks the
 * descriptor's struct_size and abi_major; only then does it read the rest of
 * the descriptor or call any hook.
 *
 * Ownership is written beside every pointer (for a struct, once for all it
 * points to), as who owns it and for how long it is valid:
 *  - "static": the plugin's; valid and unchanged for as long as the plugin is
 *    loaded (string literals, static arrays). The sensor keeps the pointer.
 *  - "call": the caller's; valid only until the function it was passed to
 *    returns, or for what a host function returns, until the hook that
 *    called it returns. Copy what you keep.
 *  - "host": the sensor's; valid from init until destroy returns.
 * The side that receives a pointer never frees it.
 *
 * No container: a host process, or one whose cgroup the sensor did not
 * resolve to a container. A container id that is NULL or "" and a NULL
 * vigil_container pointer all mean it, and a reader treats them alike (in
 * C++: vigil::in_container()). What the host passes stays as plugins built
 * before this rule know it: NULL in vigil_alert.container_id, "" in
 * vigil_raised_alert.container_id (none of its strings is NULL), and NULL
 * for vigil_event.container and from find_container.
 *
 * Hooks say whether they are required: the sensor refuses a plugin that
 * leaves a required hook NULL. Every host function is set (those newer than
 * 1.0 only when struct_size holds them).
 *
 * Threads: a detector's hooks are all called from the sensor's event thread,
 * one at a time. An output's format and send hooks are called from that
 * output's own delivery thread, one at a time. Host functions may be called
 * from the thread that is running the plugin's hook.
 *
 * Errors are returned as negative errno values; 0 is success.
 */
#ifndef VIGIL_PLUGIN_ABI_H
#define VIGIL_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

/* enum vigil_event_kind (VIGIL_KIND_*): the event kinds, shared with the BPF side's bpf/event.h. */
#include <vigil/event_kinds.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_ABI_MAJOR 1
#define VIGIL_ABI_MINOR 7

/* The one symbol a plugin exports. */
#define VIGIL_PLUGIN_ENTRY_SYMBOL "vigil_plugin_entry"

enum vigil_plugin_kind {
	VIGIL_PLUGIN_DETECTOR = 1, /* consumes events, raises alerts */
	VIGIL_PLUGIN_OUTPUT = 2,   /* delivers alerts to a receiver */
};

enum vigil_severity {
	VIGIL_SEVERITY_INFO = 0,
	VIGIL_SEVERITY_LOW = 1,
	VIGIL_SEVERITY_MEDIUM = 2,
	VIGIL_SEVERITY_HIGH = 3,
	VIGIL_SEVERITY_CRITICAL = 4,
};

enum vigil_log_level {
	VIGIL_LOG_TRACE = 0,
	VIGIL_LOG_DEBUG = 1,
	VIGIL_LOG_INFO = 2,
	VIGIL_LOG_WARNING = 3,
	VIGIL_LOG_ERROR = 4,
};

/* ------------------------------------------------------------------------- */
/* What a plugin declares about itself                                        */
/* ------------------------------------------------------------------------- */

/*
 * A MITRE ATT&CK tactic or technique. Its strings live as long as the array
 * holding it: static in a descriptor, call in an alert.
 */
struct vigil_attack_ref {
	uint32_t struct_size;
	const char *id;   /* "TA0004", "T1055.008" */
	const char *name; /* "Privilege Escalation" */
};

enum vigil_config_type {
	VIGIL_CONFIG_BOOL = 1,
	VIGIL_CONFIG_INTEGER = 2,
	VIGIL_CONFIG_FLOAT = 3,
	VIGIL_CONFIG_STRING = 4,
	VIGIL_CONFIG_STRING_LIST = 5,
};

/* One option of the plugin's [plugins.<name>] or [outputs.<name>] table. */
struct vigil_config_key {
	uint32_t struct_size;
	const char *name;          /* static: the TOML key */
	uint32_t type;             /* enum vigil_config_type */
	const char *default_value; /* static: a TOML literal, e.g. "true", "60", "\"x\"", "[\"a\"]" */
	const char *doc;           /* static: one sentence for `vigil plugins` and the config docs */
};

/*
 * Program flags. A program is attached automatically by libbpf from its
 * SEC() name (tp/, tp_btf/, raw_tp/, ...).
 */
enum vigil_bpf_program_flags {
	VIGIL_PROGRAM_OPTIONAL = 1u << 0, /* the plugin works without it: not loading it is a warning */
};

/*
 * One BPF program of an object. Programs sharing a `group` are alternatives
 * for the same job: the sensor uses the lowest `preference` at which every
 * program of that group loads and attaches, and leaves the others unattached.
 * A program with no group stands alone.
 */
struct vigil_bpf_program {
	uint32_t struct_size;
	const char *name;    /* static: the program's function name in the object */
	const char *group;   /* static, or NULL */
	uint32_t preference; /* 0 is the first choice, 1 the first fallback, ... */
	uint32_t flags;      /* enum vigil_bpf_program_flags */
};

/* A BPF object (one compiled .bpf.c) embedded in the plugin. */
struct vigil_bpf_object {
	uint32_t struct_size;
	const char *name;     /* static: object name, used in reports */
	const void *elf;      /* static: the ELF image */
	size_t elf_size;
	const struct vigil_bpf_program *programs; /* static */
	uint32_t program_count;
	const char *const *ring_buffers; /* static: names of the ring buffer maps the sensor drains */
	uint32_t ring_buffer_count;
};

/*
 * ABI 1.2. Which alerts an output receives, unless the operator's
 * [outputs.<name>.route] table says otherwise (key by key). An alert passes
 * when its severity is at least min_severity, it carries one of `tactics`
 * (none listed: any, including none) and none of `exclude_tactics`, and its
 * rule id matches one of `rules` (shell globs; none listed: any) and none of
 * `exclude_rules`. A pager, say, takes only what should wake someone.
 */
struct vigil_route {
	uint32_t struct_size;
	uint32_t min_severity;              /* enum vigil_severity */
	const char *const *tactics;         /* static: ATT&CK tactic ids, "TA0004" */
	uint32_t tactic_count;
	const char *const *exclude_tactics; /* static */
	uint32_t exclude_tactic_count;
	const char *const *rules;           /* static: rule id globs, "escape.*" */
	uint32_t rule_count;
	const char *const *exclude_rules;   /* static */
	uint32_t exclude_rule_count;
};

struct vigil_plugin_hooks;

/* What the entry point returns: static, like everything it points to. */
struct vigil_plugin_descriptor {
	uint32_t struct_size;
	uint32_t abi_major; /* VIGIL_ABI_MAJOR the plugin was built with */
	uint32_t abi_minor;
	uint32_t kind;      /* enum vigil_plugin_kind */
	const char *name;        /* static: [a-z0-9_]+, the config table name */
	const char *version;     /* static: the plugin's own version */
	const char *description; /* static: one sentence */
	const struct vigil_attack_ref *tactics; /* static: every tactic its alerts can carry */
	uint32_t tactic_count;
	const struct vigil_attack_ref *techniques; /* static: every technique its alerts can carry */
	uint32_t technique_count;
	const struct vigil_config_key *config_keys; /* static */
	uint32_t config_key_count;
	const uint16_t *subscribed_kinds; /* static: core kinds (VIGIL_KIND_*) it wants; its own rings reach it too */
	uint32_t subscribed_kind_count;
	const struct vigil_bpf_object *bpf_objects; /* static */
	uint32_t bpf_object_count;
	const struct vigil_plugin_hooks *hooks; /* static; required */
	/* ABI 1.2, outputs: the route it gets by default; NULL takes every alert. */
	const struct vigil_route *default_route; /* static */
};

/* ------------------------------------------------------------------------- */
/* What the host hands to the plugin                                          */
/* ------------------------------------------------------------------------- */

/*
 * Read access to the plugin's options, for init: call, with what its
 * functions return (valid until init returns). Every declared key has a
 * value, its default if unset. The getters of one value return 0, -ENOENT
 * for a key the plugin did not declare, or -EINVAL for one of another type;
 * the others return NULL or 0 then. @key is call.
 */
struct vigil_config_view {
	uint32_t struct_size;
	const void *context; /* host: pass it back */
	int (*get_bool)(const void *context, const char *key, int *value);
	int (*get_integer)(const void *context, const char *key, int64_t *value);
	int (*get_float)(const void *context, const char *key, double *value);
	const char *(*get_string)(const void *context, const char *key);
	uint32_t (*get_list_size)(const void *context, const char *key);
	const char *(*get_list_item)(const void *context, const char *key, uint32_t index); /* NULL past the end */
};

/* Load-time settings of the plugin's BPF objects, passed to configure_bpf: call. */
struct vigil_bpf_setup {
	uint32_t struct_size;
	void *context; /* host: pass it back */
	/*
	 * Sets a `const volatile` global of @object before it is loaded, so the
	 * verifier treats it as a constant. @size must match the variable's size.
	 * @object, @variable and @value are call: the host copies them.
	 */
	int (*set_constant)(void *context, const char *object, const char *variable, const void *value, size_t size);
	/*
	 * 1.6: @program of @object is not needed on this kernel (it watches for
	 * something the kernel cannot do): it is neither loaded nor attached, is
	 * never reported missing, and `vigil check` and the log show @reason.
	 * For a fallback that would otherwise run on every syscall. Call only if
	 * struct_size >= VIGIL_BPF_SETUP_SIZE_1_6. Arguments are call: copied.
	 */
	int (*skip_program)(void *context, const char *object, const char *program, const char *reason);
};

/*
 * The sensor's view of a process: call, with its strings (valid until the
 * hook that was given it, or called the host function that returned it,
 * returns).
 */
struct vigil_process {
	uint32_t struct_size;
	uint32_t tgid;
	uint32_t ns_tgid;     /* the pid its own pid namespace gives it */
	uint32_t parent_tgid;
	uint32_t uid;
	uint32_t gid;
	uint64_t start_ns;    /* CLOCK_BOOTTIME */
	uint64_t cgroup_id;
	uint32_t mnt_ns;
	uint32_t pid_ns;
	uint32_t net_ns;
	uint32_t exited;      /* 1 once the process has exited (kept a while for late events) */
	const char *exe;      /* the path it exec'd, or its comm if it was never seen exec; never NULL */
	const char *cmdline;  /* arguments joined by spaces, possibly truncated; never NULL */
};

/* The sensor's view of a container: call, with its strings, none of them NULL (as vigil_process). */
struct vigil_container {
	uint32_t struct_size;
	uint64_t cgroup_id;
	const char *id;          /* 64 lowercase hex characters */
	const char *runtime;     /* "containerd", "cri-o", "docker", "podman" */
	const char *pod_uid;     /* "" when not a Kubernetes pod */
	const char *cgroup_path; /* relative to vigil_host_info.cgroup2_root */
	/*
	 * ABI 1.7: the container in its pod, from the Kubernetes API; "" while
	 * unknown (see metadata_source). The sensor updates them when the pod's
	 * metadata arrives or changes, between hooks: a pointer a hook was given
	 * stays valid until that hook returns, as for the fields above.
	 */
	const char *name;          /* its name in the pod (containerStatuses[].name, init and ephemeral ones too) */
	const char *image;         /* the image reference as the pod's status gives it: "repo:tag" */
	const char *image_id;      /* the image digest as imageID gives it: "sha256:..." or "repo@sha256:..." */
	const char *pod_namespace;
	const char *pod_name;
	/*
	 * The workload a person manages: "Deployment", "StatefulSet", "DaemonSet",
	 * "CronJob", "Job", "ReplicaSet" (one without a Deployment), or "Pod" for
	 * a bare pod, whose workload_name is then the pod's name.
	 */
	const char *workload_kind;
	const char *workload_name;
	const char *template_hash; /* pod-template-hash or controller-revision-hash label */
	/*
	 * CLOCK_BOOTTIME when the container's cgroup appeared (the kernel's
	 * cgroup-created event). For one that existed when the sensor started, an
	 * estimate: its cgroup directory's change time; 0 if unknown.
	 */
	uint64_t started_ns;
	uint32_t metadata_source;  /* enum vigil_metadata_source */
	uint32_t existed_at_start; /* 1 if the container was already there when the sensor started */
};

/* ABI 1.7: where the pod fields of a vigil_container come from. */
enum vigil_metadata_source {
	VIGIL_METADATA_CGROUP = 1,  /* no API server configured: only what the cgroup path gives */
	VIGIL_METADATA_PENDING = 2, /* an API server is configured but has not reported this container's pod yet */
	VIGIL_METADATA_API = 3,     /* the pod fields come from the API */
};

enum vigil_audit_stage {
	VIGIL_AUDIT_STAGE_UNKNOWN = 0,
	VIGIL_AUDIT_STAGE_REQUEST_RECEIVED = 1,
	VIGIL_AUDIT_STAGE_RESPONSE_STARTED = 2,
	VIGIL_AUDIT_STAGE_RESPONSE_COMPLETE = 3,
	VIGIL_AUDIT_STAGE_PANIC = 4,
};

/* Where the sensor received an audit event from. */
enum vigil_audit_source {
	VIGIL_AUDIT_SOURCE_WEBHOOK = 1,  /* the API server's audit webhook backend POSTed it */
	VIGIL_AUDIT_SOURCE_LOG_FILE = 2, /* a line of the API server's audit log file */
};

/*
 * ABI 1.4: a Kubernetes API server audit event (audit.k8s.io/v1 Event), for
 * VIGIL_KIND_AUDIT_EVENT: call, with its strings and arrays (valid until
 * on_event returns). No string is NULL: "" when the event does not have it.
 * The fields are those detectors usually need; anything else is in raw_json,
 * the event exactly as received.
 */
struct vigil_audit_event {
	uint32_t struct_size;
	uint32_t stage;         /* enum vigil_audit_stage */
	uint32_t source;        /* enum vigil_audit_source */
	int32_t response_code;  /* responseStatus.code; 0 when absent (RequestReceived) */
	uint64_t request_received_unix_ns; /* requestReceivedTimestamp; 0 when absent */
	uint64_t stage_unix_ns;            /* stageTimestamp; 0 when absent */
	const char *audit_id;
	const char *level;       /* "Metadata", "Request", "RequestResponse" */
	const char *verb;        /* "get", "list", "create", "delete", "watch", ... */
	const char *request_uri;
	const char *user_agent;
	const char *username;    /* user.username */
	const char *user_uid;
	const char *const *user_groups;
	uint32_t user_group_count;
	/* For "system:serviceaccount:<namespace>:<name>" users; "" otherwise. */
	const char *service_account_namespace;
	const char *service_account_name;
	/* user.extra["authentication.kubernetes.io/pod-name"] / ["...pod-uid"]: the pod whose token made the call. */
	const char *pod_name;
	const char *pod_uid;
	const char *impersonated_username; /* impersonatedUser.username */
	const char *const *source_ips;
	uint32_t source_ip_count;
	/* objectRef */
	const char *resource;    /* "pods", "secrets", ... */
	const char *subresource; /* "exec", "log", ... */
	const char *object_namespace;
	const char *object_name;
	const char *object_uid;
	const char *api_group;   /* "" for the core group */
	const char *api_version;
	const char *raw_json;    /* the whole event as one JSON object, NUL-terminated */
	size_t raw_json_size;    /* without the NUL */
};

struct vigil_evidence_field;

/*
 * ABI 1.5: an alert another detector raised, for VIGIL_KIND_ALERT_RAISED: as
 * the sensor will send it, with the pod's metadata when it is known. call,
 * with its strings and arrays (valid until on_event returns). No string is
 * NULL: "" when the alert does not have it.
 */
struct vigil_raised_alert {
	uint32_t struct_size;
	uint32_t severity;       /* enum vigil_severity */
	const char *rule;        /* "escape.release_agent_write" */
	const char *plugin;      /* the detector that raised it */
	const char *summary;
	uint64_t time_unix_ns;
	const struct vigil_attack_ref *tactics;
	uint32_t tactic_count;
	const struct vigil_attack_ref *techniques;
	uint32_t technique_count;
	uint32_t pid;            /* the subject process; 0 when none */
	const char *exe;
	const char *container_id;     /* "" for none (see "No container" above) */
	const char *pod_uid;          /* "" when not a pod's */
	const char *pod_namespace;    /* from the Kubernetes API; "" without one */
	const char *pod_name;
	const char *service_account;  /* the pod's service account name, in pod_namespace */
	const char *node;
	const struct vigil_evidence_field *evidence;
	uint32_t evidence_count;
	const char *finding_key;      /* as vigil_alert.finding_key */
};

/* One event, after the sensor decoded its header and resolved its context: call, passed to on_event. */
struct vigil_event {
	uint32_t struct_size;
	uint32_t kind;      /* enum vigil_event_kind, or the plugin's own kind */
	const void *record; /* call: the raw record, starting with struct vigil_event_header */
	uint32_t record_size;
	const struct vigil_process *process;     /* call: the acting process, or NULL if unknown */
	const struct vigil_container *container; /* call: NULL for none (see "No container" above) */
	/* ABI 1.4. call: the audit event for VIGIL_KIND_AUDIT_EVENT; NULL for every other kind. */
	const struct vigil_audit_event *audit;
	/* ABI 1.5. call: the alert for VIGIL_KIND_ALERT_RAISED; NULL for every other kind. */
	const struct vigil_raised_alert *alert;
};

enum vigil_evidence_type {
	VIGIL_EVIDENCE_STRING = 1,
	VIGIL_EVIDENCE_INTEGER = 2,
	VIGIL_EVIDENCE_UNSIGNED = 3,
	VIGIL_EVIDENCE_BOOL = 4,
	VIGIL_EVIDENCE_STRING_LIST = 5,
};

/* One field of an alert's evidence object. Its strings live as long as the array holding it: call. */
struct vigil_evidence_field {
	uint32_t struct_size;
	const char *key;
	uint32_t type;           /* enum vigil_evidence_type: which value field is used */
	const char *string_value;
	int64_t integer_value;               /* also the BOOL value, 0 or 1 */
	uint64_t unsigned_value;
	const char *const *list_values;
	uint32_t list_count;
};

/*
 * An alert a detector raises: call, with everything it points to. The host
 * copies what it keeps before emit_alert returns.
 */
struct vigil_alert_request {
	uint32_t struct_size;
	const char *rule;    /* required: stable id "<plugin>.<name>" */
	uint32_t severity;   /* enum vigil_severity */
	const char *summary; /* one human sentence */
	const struct vigil_attack_ref *tactics; /* must be among the descriptor's */
	uint32_t tactic_count;
	const struct vigil_attack_ref *techniques; /* must be among the descriptor's */
	uint32_t technique_count;
	/*
	 * The event that triggered it, as on_event was given it: the host takes
	 * process and container from it. Another pointer is ignored.
	 */
	const struct vigil_event *event;
	/* When event is NULL (an alert raised from a timer, say): the subject process, or 0. */
	uint32_t subject_tgid;
	const struct vigil_evidence_field *evidence;
	uint32_t evidence_count;
	/*
	 * Or NULL: what makes two alerts of this rule "the same finding".
	 * Repeats of rule + dedup key + container within the dedup window are
	 * counted on the first alert instead of being sent again.
	 */
	const char *dedup_key;
};

/* Facts about the node the sensor runs on (ABI 1.1): host, strings included, none of them NULL. */
struct vigil_host_info {
	uint32_t struct_size;
	const char *node_name;
	const char *proc_root;    /* the host's procfs: "/proc", or where it is mounted in the sensor's container */
	const char *cgroup2_root; /* the cgroup v2 mount point vigil_container.cgroup_path is relative to; "" if none */
	uint32_t mnt_ns;          /* the host's mount, pid and network namespace inums */
	uint32_t pid_ns;
	uint32_t net_ns;
	uint64_t started_ns;      /* ABI 1.7: CLOCK_BOOTTIME when the sensor started */
};

/*
 * Callbacks the host implements: host, passed to init. String and struct
 * arguments are call: the host copies what it keeps.
 */
struct vigil_host_api {
	uint32_t struct_size;
	uint32_t abi_major; /* the host's VIGIL_ABI_MAJOR */
	uint32_t abi_minor;
	void *context; /* host: pass it back */
	void (*log)(void *context, uint32_t level, const char *message); /* level: enum vigil_log_level */
	/* 0, or a negative errno: -EINVAL for a NULL @alert or rule. */
	int (*emit_alert)(void *context, const struct vigil_alert_request *alert);
	/* call: NULL if the process is unknown */
	const struct vigil_process *(*find_process)(void *context, uint32_t tgid);
	/*
	 * Fills @ancestors (the caller's) with the parent, grandparent, ... of
	 * @tgid, up to the container's entry point (or pid 1 on the host), at
	 * most @capacity of them. Returns how many it wrote. The pointers it
	 * writes are call: valid until the current hook returns.
	 */
	uint32_t (*process_ancestry)(void *context, uint32_t tgid, const struct vigil_process **ancestors,
				     uint32_t capacity);
	/* call: NULL for a host cgroup or one not resolved (see "No container" above) */
	const struct vigil_container *(*find_container)(void *context, uint64_t cgroup_id);
	/* Registers a counter named "<plugin>_<name>"; returns its handle. @name and @help: call, or NULL. */
	uint32_t (*metric_register)(void *context, const char *name, const char *help);
	void (*metric_add)(void *context, uint32_t metric, uint64_t delta);
	/* CLOCK_BOOTTIME in nanoseconds: the clock of event timestamps. */
	uint64_t (*now_ns)(void *context);
	/*
	 * call: the process that pid namespace @pid_ns (an inode number) calls
	 * @ns_tgid, e.g. the target of a ptrace() made inside a container; NULL if
	 * unknown. Appended within 1.0: the first 1.0 hosts lack it, so test for
	 * it (VIGIL_HAS_FIELD) whatever abi_minor says.
	 */
	const struct vigil_process *(*find_process_in_namespace)(void *context, uint32_t pid_ns, uint32_t ns_tgid);
	/* ABI 1.1: the node's names, paths and namespaces. Never NULL. */
	const struct vigil_host_info *(*host_info)(void *context);
	/*
	 * ABI 1.7: host: a directory of the plugin's own where it may keep state
	 * across restarts, "<[sensor] state_directory>/<plugin name>", created
	 * (owner-only, mode 0700, with its parent) on the first call. "" when
	 * [sensor] state_directory is "" or the directory cannot be created (the
	 * sensor logs why, once). Never NULL.
	 */
	const char *(*state_directory)(void *context);
	/*
	 * ABI 1.7: records the sensor's ring buffers had no room for since it
	 * started, all rings together: what it reports as lost events. Counted
	 * about once a second, so a count may lag by that much.
	 */
	uint64_t (*records_lost)(void *context);
	/*
	 * ABI 1.7: writes @value at @key (BPF_ANY) in map @map of the plugin's
	 * own BPF object @object, as its descriptor names them: state a detector
	 * keeps in the kernel, such as what a learned profile already holds, so
	 * that its programs send nothing for it. @key_size and @value_size must
	 * be the map's. 0; -ENOENT for an object or map the plugin does not have
	 * loaded; -EINVAL for a size that differs; or the kernel's error (-E2BIG
	 * for a full hash map). Arguments are call.
	 */
	int (*map_update)(void *context, const char *object, const char *map, const void *key, uint32_t key_size,
			  const void *value, uint32_t value_size);
	/* ABI 1.7: removes @key from that map; 0 also when it was not there. As map_update otherwise. */
	int (*map_delete)(void *context, const char *object, const char *map, const void *key, uint32_t key_size);
};

/* ------------------------------------------------------------------------- */
/* Alerts as outputs see them                                                 */
/* ------------------------------------------------------------------------- */

/*
 * An alert, passed to format in @alerts: call, with its strings and arrays
 * (valid until format returns). No string is NULL unless its comment says so.
 */
struct vigil_alert {
	uint32_t struct_size;
	const char *json; /* the whole alert as one JSON object, no newline */
	size_t json_size;
	const char *rule;
	const char *plugin;
	const char *summary;
	uint32_t severity; /* enum vigil_severity */
	uint64_t time_unix_ns;
	const struct vigil_attack_ref *tactics;
	uint32_t tactic_count;
	const struct vigil_attack_ref *techniques;
	uint32_t technique_count;
	uint32_t pid;             /* the subject process; 0 when none */
	const char *exe;          /* "" when no process */
	const char *container_id; /* NULL for none (see "No container" above) */
	const char *pod_uid;      /* NULL when unknown */
	const char *node;
	uint64_t repeat_count;    /* > 0 on the summary of repeats the dedup window held back */
	/*
	 * ABI 1.3: what makes two alerts the same finding, as
	 * "<rule>/<container id, or the node for a host process>/<the detector's
	 * dedup key, or the executable when it gave none>". The sensor's own
	 * deduplicator groups repeats by it, and a receiver that merges repeats
	 * (an incident key) can use it as is.
	 */
	const char *finding_key;
};

/* A growable byte buffer for format to write a request into: call, passed to format. */
struct vigil_buffer {
	uint32_t struct_size;
	void *context; /* host: pass it back */
	/* Copies @data (call); 0, or a negative errno when the request cannot take it (-E2BIG, -ENOMEM). */
	int (*append)(void *context, const void *data, size_t size);
};

enum vigil_send_status {
	VIGIL_SEND_OK = 0,     /* delivered */
	VIGIL_SEND_RETRY = 1,  /* temporary failure: try again, after retry_after_ms if set */
	VIGIL_SEND_REJECT = 2, /* the receiver will never take this request: do not retry */
};

/* What send reports: call, the host's, zeroed but for struct_size before send. */
struct vigil_send_result {
	uint32_t struct_size;
	uint32_t status; /* enum vigil_send_status */
	uint64_t retry_after_ms;
	char reason[256]; /* why it failed, for the log, NUL-terminated; never a secret */
};

/* ------------------------------------------------------------------------- */
/* Hooks the plugin implements                                                */
/* ------------------------------------------------------------------------- */

/*
 * The plugin's hooks. @instance is the plugin's: what init stored, passed
 * back to every other hook. A detector's hooks run on the event thread; an
 * output's format and send on its delivery thread (see Threads above).
 */
struct vigil_plugin_hooks {
	uint32_t struct_size;
	/*
	 * Required. Creates the plugin's instance. @host is host, @config call.
	 * A non-zero return refuses the plugin; destroy is not called then.
	 */
	int (*init)(const struct vigil_host_api *host, const struct vigil_config_view *config, void **instance);
	/* Required. Frees the instance a successful init made (never called for a NULL one). */
	void (*destroy)(void *instance);

	/* Detectors; an output's are never called. */
	/* Optional, may be NULL: after init, before its BPF objects load. Non-zero refuses the plugin. @setup: call. */
	int (*configure_bpf)(void *instance, const struct vigil_bpf_setup *setup);
	/* Required for a detector. A non-zero return is counted as an event error. @event: call. */
	int (*on_event)(void *instance, const struct vigil_event *event);
	/* Optional, may be NULL: about once a second; @now_ns is CLOCK_BOOTTIME. */
	void (*on_tick)(void *instance, uint64_t now_ns);

	/*
	 * Outputs, both required; a detector's are never called. format writes
	 * one request for the first alerts of @alerts (call) into @request (call)
	 * and returns how many alerts it took (at least 1), or a negative errno
	 * (the first alert is then dropped). send delivers that request (call:
	 * the bytes format wrote) and reports the outcome in @result (call).
	 */
	int (*format)(void *instance, const struct vigil_alert *const *alerts, uint32_t count,
		      const struct vigil_buffer *request);
	void (*send)(void *instance, const void *request, size_t request_size, struct vigil_send_result *result);
};

/* The entry point's type. */
typedef const struct vigil_plugin_descriptor *(*vigil_plugin_entry_fn)(void);

/* ------------------------------------------------------------------------- */
/* Sizes at each minor                                                        */
/* ------------------------------------------------------------------------- */

/*
 * The size of @type up to the end of @field: a struct_size at least this
 * holds @field. (In C++, VIGIL_HAS_FIELD of <vigil/abi_support.hpp> tests it.)
 */
#define VIGIL_SIZE_THROUGH(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/*
 * VIGIL_<STRUCT>_SIZE_1_<minor>: a struct's size up to its last field of
 * that minor, given for the minor that introduced the struct and for each
 * minor that appended to it; a minor in between has the latest size below
 * it. A struct_size at least this holds every field that minor had.
 * tests/unit/sdk/abi_layout_test.cpp freezes them with every field's offset
 * and size; appending a field adds a line here, and changes none.
 */
#define VIGIL_ATTACK_REF_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_attack_ref, name)
#define VIGIL_CONFIG_KEY_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_config_key, doc)
#define VIGIL_BPF_PROGRAM_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_bpf_program, flags)
#define VIGIL_BPF_OBJECT_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_bpf_object, ring_buffer_count)
#define VIGIL_ROUTE_SIZE_1_2 VIGIL_SIZE_THROUGH(struct vigil_route, exclude_rule_count)
#define VIGIL_PLUGIN_DESCRIPTOR_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_plugin_descriptor, hooks)
#define VIGIL_PLUGIN_DESCRIPTOR_SIZE_1_2 VIGIL_SIZE_THROUGH(struct vigil_plugin_descriptor, default_route)
#define VIGIL_CONFIG_VIEW_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_config_view, get_list_item)
#define VIGIL_BPF_SETUP_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_bpf_setup, set_constant)
#define VIGIL_BPF_SETUP_SIZE_1_6 VIGIL_SIZE_THROUGH(struct vigil_bpf_setup, skip_program)
#define VIGIL_PROCESS_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_process, cmdline)
#define VIGIL_CONTAINER_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_container, cgroup_path)
#define VIGIL_CONTAINER_SIZE_1_7 VIGIL_SIZE_THROUGH(struct vigil_container, existed_at_start)
#define VIGIL_AUDIT_EVENT_SIZE_1_4 VIGIL_SIZE_THROUGH(struct vigil_audit_event, raw_json_size)
#define VIGIL_RAISED_ALERT_SIZE_1_5 VIGIL_SIZE_THROUGH(struct vigil_raised_alert, finding_key)
#define VIGIL_EVENT_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_event, container)
#define VIGIL_EVENT_SIZE_1_4 VIGIL_SIZE_THROUGH(struct vigil_event, audit)
#define VIGIL_EVENT_SIZE_1_5 VIGIL_SIZE_THROUGH(struct vigil_event, alert)
#define VIGIL_EVIDENCE_FIELD_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_evidence_field, list_count)
#define VIGIL_ALERT_REQUEST_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_alert_request, dedup_key)
#define VIGIL_HOST_INFO_SIZE_1_1 VIGIL_SIZE_THROUGH(struct vigil_host_info, net_ns)
#define VIGIL_HOST_INFO_SIZE_1_7 VIGIL_SIZE_THROUGH(struct vigil_host_info, started_ns)
/* The first 1.0 hosts ended at now_ns: find_process_in_namespace came within 1.0, so test for it. */
#define VIGIL_HOST_API_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_host_api, find_process_in_namespace)
#define VIGIL_HOST_API_SIZE_1_1 VIGIL_SIZE_THROUGH(struct vigil_host_api, host_info)
#define VIGIL_HOST_API_SIZE_1_7 VIGIL_SIZE_THROUGH(struct vigil_host_api, map_delete)
#define VIGIL_ALERT_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_alert, repeat_count)
#define VIGIL_ALERT_SIZE_1_3 VIGIL_SIZE_THROUGH(struct vigil_alert, finding_key)
#define VIGIL_BUFFER_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_buffer, append)
#define VIGIL_SEND_RESULT_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_send_result, reason)
#define VIGIL_PLUGIN_HOOKS_SIZE_1_0 VIGIL_SIZE_THROUGH(struct vigil_plugin_hooks, send)

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_PLUGIN_ABI_H */
