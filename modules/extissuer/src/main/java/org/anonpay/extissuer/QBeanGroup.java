// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.extissuer;

import java.util.ArrayList;
import java.util.List;

import javax.management.ObjectInstance;

import org.jdom2.Element;
import org.jpos.q2.QBeanSupport;
import org.jpos.q2.QFactory;

/**
 * Deploys the QBeans nested in its descriptor as one service. Q2 takes one bean per deploy file, but a
 * link is a channel adaptor and a MUX that only make sense together (deploy/66_external_issuer_link.xml):
 * one file keeps them from being deployed, edited or removed apart. Every child element that has a
 * {@code class} attribute is created, configured and initialised as Q2 does it for a file of its own,
 * started in document order and stopped and destroyed in reverse order.
 */
public class QBeanGroup extends QBeanSupport {
    private record Child(ObjectInstance instance, Object bean) {
    }

    private final List<Child> children = new ArrayList<>();

    @Override
    protected void initService() throws Exception {
        for (Element element : getPersist().getChildren()) {
            if (element.getAttributeValue("class") != null && QFactory.isEnabled(element)) {
                Object bean = getFactory().instantiate(getServer(), element);
                children.add(new Child(getFactory().createQBean(getServer(), element, bean), bean));
            }
        }
    }

    @Override
    protected void startService() throws Exception {
        for (Child child : children) {
            getFactory().startQBean(getServer(), child.instance().getObjectName());
        }
    }

    @Override
    protected void stopService() throws Exception {
        for (Child child : children.reversed()) {
            getServer().getMBeanServer().invoke(child.instance().getObjectName(), "stop", null, null);
        }
    }

    @Override
    protected void destroyService() throws Exception {
        for (Child child : children.reversed()) {
            getFactory().destroyQBean(getServer(), child.instance().getObjectName(), child.bean());
        }
        children.clear();
    }
}
