/**
 * The LVS operator's API, group {@code lvs.io}, version {@code v1alpha1}: plain data types with no
 * logic. The CRD YAML under {@code crds/} is generated from these classes.
 */
package io.lvs.api.v1alpha1;
