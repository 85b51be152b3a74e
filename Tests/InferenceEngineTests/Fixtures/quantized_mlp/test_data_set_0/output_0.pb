
BprobabilitiesJ(К"╠=÷╪w=Ъа╞=╦╨=▒nЯ=t-0>©Ж╞=╨Zl=te>Dлы=