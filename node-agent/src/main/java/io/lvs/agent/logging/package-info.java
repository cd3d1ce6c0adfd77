/** The agent's log format and levels, configured in code (no XML parsed at start). */
package io.lvs.agent.logging;
