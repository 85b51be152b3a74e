
BprobabilitiesJ(kŠ¶=Æà_=Ýå…=åà=_^±=Sp%>ùI>ŽŒd=[Õþ=Ö®õ=