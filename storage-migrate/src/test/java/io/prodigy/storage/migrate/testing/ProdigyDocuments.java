package io.prodigy.storage.migrate.testing;

import static io.prodigy.storage.migrate.testing.ProdigyTrees.JOB;

/**
 * Whole-file records of the original tool (docs/migration.md): pretty JSON, no trailing newline, as serde writes them.
 */
public final class ProdigyDocuments {

    private ProdigyDocuments() {}

    public static final String WORKFLOW_SESSION_JSON = """
            {
              "id": "workflow-1741615318000",
              "session_type": "Workflow",
              "status": "Completed",
              "started_at": "2025-03-10T14:01:58.411800709Z",
              "updated_at": "2025-03-10T14:05:12.120Z",
              "completed_at": "2025-03-10T14:05:12.120Z",
              "metadata": {
                "execution_start_time": "2025-03-10T14:01:58.411800709+00:00",
                "workflow_type": "standard",
                "total_steps": 3,
                "current_step": 0,
                "files_changed_delta": 2
              },
              "checkpoints": [],
              "timings": {
                "claude: /fix": {"secs": 42, "nanos": 500000000},
                "shell: cargo test": {"secs": 12, "nanos": 0}
              },
              "error": null,
              "workflow_data": {
                "workflow_id": "workflow-1741615318000",
                "workflow_name": "fix-bugs",
                "current_step": 0,
                "total_steps": 3,
                "completed_steps": [0, 1, 2],
                "variables": {"ARG": "x"},
                "iterations_completed": 2,
                "files_changed": 5,
                "worktree_name": "workflow-1741615318000"
              },
              "mapreduce_data": null
            }""";

    public static final String MAPREDUCE_SESSION_JSON = """
            {
              "id": "session-6f1c0a5e-8b7d-4c2e-9f10-1a2b3c4d5e6f",
              "session_type": "Workflow",
              "status": "Running",
              "started_at": "2025-03-10T15:00:01.123456Z",
              "updated_at": "2025-03-10T15:00:01.123456Z",
              "completed_at": null,
              "metadata": {},
              "checkpoints": [],
              "timings": {},
              "error": null,
              "workflow_data": {
                "workflow_id": "session-6f1c0a5e-8b7d-4c2e-9f10-1a2b3c4d5e6f",
                "workflow_name": "",
                "current_step": 0,
                "total_steps": 0,
                "completed_steps": [],
                "variables": {},
                "iterations_completed": 0,
                "files_changed": 0,
                "worktree_name": null
              },
              "mapreduce_data": null
            }""";

    public static final String DLQ_ITEM_0_FIRST = """
            {
              "item_id": "item_0",
              "item_data": {"file": "src/lib.rs", "priority": 1},
              "first_attempt": "2025-03-10T14:03:00.500Z",
              "last_attempt": "2025-03-10T14:03:00.500Z",
              "failure_count": 1,
              "failure_history": [
                {
                  "attempt_number": 1,
                  "timestamp": "2025-03-10T14:03:00.500Z",
                  "error_type": {"CommandFailed": {"exit_code": 1}},
                  "error_message": "Command failed with exit code: 1",
                  "stack_trace": "Command failed with exit code: 1",
                  "agent_id": "agent-item_0",
                  "step_failed": "agent_execution",
                  "duration_ms": 0
                }
              ],
              "error_signature": "e622c33778c2e260",
              "worktree_artifacts": null,
              "reprocess_eligible": false,
              "manual_review_required": false
            }""";

    public static final String DLQ_ITEM_0_SECOND = """
            {
              "item_id": "item_0",
              "item_data": {"file": "src/lib.rs", "priority": 1},
              "first_attempt": "2025-03-10T14:09:30Z",
              "last_attempt": "2025-03-10T14:09:30Z",
              "failure_count": 1,
              "failure_history": [
                {
                  "attempt_number": 2,
                  "timestamp": "2025-03-10T14:09:30Z",
                  "error_type": "Timeout",
                  "error_message": "Agent execution timed out",
                  "stack_trace": null,
                  "agent_id": "agent-item_0",
                  "step_failed": "agent_execution",
                  "duration_ms": 300000,
                  "json_log_location": "/home/dev/.claude/projects/x/y.jsonl"
                }
              ],
              "error_signature": "1b2c3d4e5f60718a",
              "worktree_artifacts": null,
              "reprocess_eligible": true,
              "manual_review_required": false
            }""";

    public static final String DLQ_ITEM_3_VALIDATION = """
            {
              "item_id": "item-3",
              "item_data": {"title": "no file"},
              "first_attempt": "2025-03-10T14:02:00Z",
              "last_attempt": "2025-03-10T14:02:00Z",
              "failure_count": 1,
              "failure_history": [
                {
                  "attempt_number": 1,
                  "timestamp": "2025-03-10T14:02:00Z",
                  "error_type": "ValidationFailed",
                  "error_message": "Work item validation failed",
                  "error_context": ["missing field 'file'", "-> item 3"],
                  "stack_trace": null,
                  "agent_id": "validation-3",
                  "step_failed": "work_item_validation",
                  "duration_ms": 0
                }
              ],
              "error_signature": "ValidationFailed::Work item validation failed",
              "worktree_artifacts": null,
              "reprocess_eligible": false,
              "manual_review_required": true
            }""";

    public static final String DLQ_ITEM_7 = """
            {
              "item_id": "item_7",
              "item_data": "plain string item",
              "first_attempt": "2025-03-10T14:04:00.000000001Z",
              "last_attempt": "2025-03-10T14:04:00.000000001Z",
              "failure_count": 1,
              "failure_history": [
                {
                  "attempt_number": 1,
                  "timestamp": "2025-03-10T14:04:00.000000001Z",
                  "error_type": "MergeConflict",
                  "error_message": "merge conflict in src/a.rs",
                  "stack_trace": "merge conflict in src/a.rs",
                  "agent_id": "agent-item_7",
                  "step_failed": "agent_execution",
                  "duration_ms": 1500
                }
              ],
              "error_signature": "9a8b7c6d5e4f3a2b",
              "worktree_artifacts": {"worktree_path": "/home/dev/.prodigy/worktrees/myrepo/mapreduce-agent-7",
                "branch_name": "prodigy-mapreduce-agent-7", "uncommitted_changes": null, "error_logs": null},
              "reprocess_eligible": false,
              "manual_review_required": false
            }""";

    public static String jobState(int version, boolean reducing) {
        return jobStateFor(JOB, version).replace("\"reduce_phase_state\": null", reducing
                ? "\"reduce_phase_state\": {\"started\": true, \"completed\": false, \"executed_commands\": [],"
                        + " \"output\": null, \"error\": null, \"started_at\": \"2025-03-10T14:10:00Z\","
                        + " \"completed_at\": null}"
                : "\"reduce_phase_state\": null");
    }

    public static String jobStateFor(String job, int version) {
        return """
                {
                  "job_id": "%s",
                  "config": {"input": "items.json", "json_path": "$.items[*]", "max_parallel": 10,
                    "agent_timeout_secs": null, "continue_on_failure": false, "batch_size": null,
                    "enable_checkpoints": true, "max_items": null, "offset": null},
                  "started_at": "2025-03-10T14:01:58.411800709Z",
                  "updated_at": "2025-03-10T14:0%d:00Z",
                  "work_items": [{"file": "a"}, {"file": "b"}, {"file": "c"}],
                  "agent_results": {"item_0": {"item_id": "item_0", "status": {"Failed": "exit 1"}, "commits": [],
                    "duration": {"secs": 0, "nanos": 0}, "error": "exit 1"}},
                  "completed_agents": ["item_0", "item_1", "item_2"],
                  "failed_agents": {},
                  "pending_items": [],
                  "checkpoint_version": %d,
                  "parent_worktree": null,
                  "reduce_phase_state": null,
                  "total_items": 3,
                  "successful_count": 2,
                  "failed_count": 1,
                  "is_complete": false,
                  "agent_template": [{"claude": "/fix ${item.file}", "capture_streams": {"stdout": true,
                    "stderr": false, "exit_code": true, "success": true, "duration": true}, "capture_output": true,
                    "env": {}, "commit_required": true, "skip_validation": false, "ignore_validation_failure": false}],
                  "reduce_commands": null
                }""".formatted(job, version, version);
    }

    public static final String WORKFLOW_CHECKPOINT_JSON = """
            {
              "workflow_id": "workflow-1741615318123",
              "execution_state": {"current_step_index": 2, "total_steps": 3, "status": "Failed",
                "start_time": "2025-03-10T14:01:58.411800709Z", "last_checkpoint": "2025-03-10T14:05:12.120Z",
                "current_iteration": null, "total_iterations": null},
              "completed_steps": [
                {"step_index": 0, "command": "claude: /fix", "success": true, "output": null, "captured_variables": {},
                 "duration": {"secs": 42, "nanos": 500000000}, "completed_at": "2025-03-10T14:02:40.911800709Z"},
                {"step_index": 1, "command": "shell: cargo test", "success": true, "output": "ok",
                 "captured_variables": {"TEST_OUT": "ok"}, "duration": {"secs": 12, "nanos": 0},
                 "completed_at": "2025-03-10T14:02:52Z"}
              ],
              "variable_state": {"ARG": "x", "__error_message": "boom", "__failed_step_index": 2,
                "__error_timestamp": "2025-03-10T14:05:12.120+00:00"},
              "mapreduce_state": null,
              "timestamp": "2025-03-10T14:05:12.120Z",
              "version": 1,
              "workflow_hash": "5d41402abc4b2a76b9719d911017c592",
              "total_steps": 3,
              "workflow_name": "fix-bugs",
              "workflow_path": "/home/dev/proj/workflow.yml",
              "retry_checkpoint_state": null,
              "variable_checkpoint_state": {"global_variables": {}, "phase_variables": {}, "computed_cache": {},
                "environment_snapshot": {"variables": {"PATH": "/usr/bin", "GITHUB_TOKEN": "ghp_not_a_real_token"},
                  "captured_at": "2025-03-10T14:01:58Z", "hostname": "dev", "working_directory": "/home/dev/proj"},
                "interpolation_history": [], "variable_metadata": {"total_variables": 1, "computed_variables": 0,
                  "total_interpolations": 0, "checkpoint_version": "1.0.0"}, "captured_outputs": {},
                "iteration_vars": {}}
            }""";

    public static final String MERGE_CHECKPOINT_JSON = """
            {
              "workflow_id": "merge-workflow-session-6f1c0a5e-8b7d-4c2e-9f10-1a2b3c4d5e6f",
              "execution_state": {"current_step_index": 0, "total_steps": 1, "status": "Running",
                "start_time": "2025-03-10T15:30:00Z", "last_checkpoint": "2025-03-10T15:30:00Z",
                "current_iteration": null, "total_iterations": null},
              "completed_steps": [],
              "variable_state": {},
              "mapreduce_state": null,
              "timestamp": "2025-03-10T15:30:00Z",
              "version": 1,
              "workflow_hash": "00",
              "total_steps": 1,
              "workflow_name": null,
              "workflow_path": null,
              "retry_checkpoint_state": null
            }""";

    public static final String REDUCE_CHECKPOINT_JSON = """
            {
              "version": 1,
              "completed_steps": 1,
              "total_steps": 2,
              "step_results": [{"step_index": 0, "success": true, "output": "merged", "error": null,
                "duration_secs": 1.5}],
              "variables": {"map.successful": "2", "map.failed": "1"},
              "map_results": [{"item_id": "item_1"}],
              "timestamp": "2025-03-10T14:15:00Z"
            }""";

    public static final String ORPHANS_JSON = """
            [
              {"path": "/home/dev/.prodigy/worktrees/myrepo/mapreduce-agent-1", "agent_id": "%1$s_agent_1",
               "item_id": "item_1", "failed_at": "2025-03-10T14:04:59.1Z", "error": "cleanup failed: busy"},
              {"path": "/home/dev/.prodigy/worktrees/myrepo/mapreduce-agent-2", "agent_id": "%1$s_agent_2",
               "item_id": "item_2", "failed_at": "2025-03-10T14:05:00Z", "error": "cleanup failed: locked"}
            ]""".formatted(JOB);

    public static final String LEGACY_SESSION_STATE = """
            {
              "session_id": "cook-3f2a",
              "status": "Interrupted",
              "started_at": "2024-12-01T09:00:00Z",
              "ended_at": "2024-12-01T09:30:00.5Z",
              "iterations_completed": 2,
              "files_changed": 3,
              "errors": ["lint failed"],
              "working_directory": "/home/dev/proj",
              "worktree_name": null
            }""";

    public static final String LEGACY_SESSION_FILE = """
            {
              "status": "Completed",
              "started_at": "2025-01-01T12:00:00Z",
              "ended_at": "2025-01-01T12:10:00Z",
              "iterations_completed": 1,
              "files_changed": 1,
              "errors": [],
              "working_directory": "/home/dev/proj",
              "worktree_name": "session-abc"
            }""";
}
