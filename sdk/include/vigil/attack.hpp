// SPDX-License-Identifier: Apache-2.0
// MITRE ATT&CK tactics and techniques (Enterprise v18, containers matrix) as
// ready-made vigil_attack_ref values, so that every plugin spells them alike.
#pragma once

#include <vigil/plugin_abi.h>

namespace vigil::attack {

constexpr vigil_attack_ref make(const char *id, const char *name)
{
    return vigil_attack_ref{sizeof(vigil_attack_ref), id, name};
}

// Tactics.
inline constexpr vigil_attack_ref TA0001 = make("TA0001", "Initial Access");
inline constexpr vigil_attack_ref TA0002 = make("TA0002", "Execution");
inline constexpr vigil_attack_ref TA0003 = make("TA0003", "Persistence");
inline constexpr vigil_attack_ref TA0004 = make("TA0004", "Privilege Escalation");
inline constexpr vigil_attack_ref TA0005 = make("TA0005", "Defense Evasion");
inline constexpr vigil_attack_ref TA0006 = make("TA0006", "Credential Access");
inline constexpr vigil_attack_ref TA0007 = make("TA0007", "Discovery");
inline constexpr vigil_attack_ref TA0008 = make("TA0008", "Lateral Movement");
inline constexpr vigil_attack_ref TA0009 = make("TA0009", "Collection");
inline constexpr vigil_attack_ref TA0010 = make("TA0010", "Exfiltration");
inline constexpr vigil_attack_ref TA0011 = make("TA0011", "Command and Control");
inline constexpr vigil_attack_ref TA0040 = make("TA0040", "Impact");

// Techniques and sub-techniques.
inline constexpr vigil_attack_ref T1055 = make("T1055", "Process Injection");
inline constexpr vigil_attack_ref T1055_008 = make("T1055.008", "Process Injection: Ptrace System Calls");
inline constexpr vigil_attack_ref T1055_009 = make("T1055.009", "Process Injection: Proc Memory");
inline constexpr vigil_attack_ref T1059_004 = make("T1059.004", "Command and Scripting Interpreter: Unix Shell");
inline constexpr vigil_attack_ref T1070_004 = make("T1070.004", "Indicator Removal: File Deletion");
inline constexpr vigil_attack_ref T1078_001 = make("T1078.001", "Valid Accounts: Default Accounts");
inline constexpr vigil_attack_ref T1098_006 =
    make("T1098.006", "Account Manipulation: Additional Container Cluster Roles");
inline constexpr vigil_attack_ref T1059 = make("T1059", "Command and Scripting Interpreter");
inline constexpr vigil_attack_ref T1071 = make("T1071", "Application Layer Protocol");
inline constexpr vigil_attack_ref T1071_004 = make("T1071.004", "Application Layer Protocol: DNS");
inline constexpr vigil_attack_ref T1105 = make("T1105", "Ingress Tool Transfer");
inline constexpr vigil_attack_ref T1496 = make("T1496", "Resource Hijacking");
inline constexpr vigil_attack_ref T1496_001 = make("T1496.001", "Resource Hijacking: Compute Hijacking");
inline constexpr vigil_attack_ref T1528 = make("T1528", "Steal Application Access Token");
inline constexpr vigil_attack_ref T1547_006 =
    make("T1547.006", "Boot or Logon Autostart Execution: Kernel Modules and Extensions");
inline constexpr vigil_attack_ref T1550_001 =
    make("T1550.001", "Use Alternate Authentication Material: Application Access Token");
inline constexpr vigil_attack_ref T1552_001 = make("T1552.001", "Unsecured Credentials: Credentials In Files");
inline constexpr vigil_attack_ref T1552_005 = make("T1552.005", "Unsecured Credentials: Cloud Instance Metadata API");
inline constexpr vigil_attack_ref T1552_007 = make("T1552.007", "Unsecured Credentials: Container API");
inline constexpr vigil_attack_ref T1554 = make("T1554", "Compromise Host Software Binary");
inline constexpr vigil_attack_ref T1565_001 = make("T1565.001", "Data Manipulation: Stored Data Manipulation");
inline constexpr vigil_attack_ref T1571 = make("T1571", "Non-Standard Port");
inline constexpr vigil_attack_ref T1574_006 = make("T1574.006", "Hijack Execution Flow: Dynamic Linker Hijacking");
inline constexpr vigil_attack_ref T1609 = make("T1609", "Container Administration Command");
inline constexpr vigil_attack_ref T1611 = make("T1611", "Escape to Host");
inline constexpr vigil_attack_ref T1613 = make("T1613", "Container and Resource Discovery");
inline constexpr vigil_attack_ref T1620 = make("T1620", "Reflective Code Loading");

} // namespace vigil::attack
